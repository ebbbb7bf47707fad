"""OpenID Connect relying party: authorization code flow with state, nonce and PKCE (S256).

The providers come from settings.OIDC_PROVIDERS (read from the environment by store/settings.py):
a provider missing there does not exist for the site (no button, no route answers for it).
Their endpoints come from the issuer's ``/.well-known/openid-configuration``; the JSON Web Key
Sets from its ``jwks_uri``. Every outbound call is bounded (OIDC_HTTP_TIMEOUT_SECONDS, and
OIDC_MAX_RESPONSE_BYTES read at most), and cached a while (discovery, keys).

Authlib does the cryptography and the rules: joserfc (Authlib's JOSE) checks the signature
against the provider's keys, Authlib's ``CodeIDToken`` the claims (issuer, audience, expiry,
nonce, azp, at_hash); PKCE's challenge is Authlib's ``create_s256_code_challenge``. The flow's
few HTTP exchanges are ours, so that they are bounded and shared by the web and the mobile API.
"""

import json
import logging
import secrets
from dataclasses import dataclass, field
from urllib.parse import urlencode

import requests
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from authlib.oidc.core import CodeIDToken
from django.conf import settings
from django.core.cache import cache
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet

logger = logging.getLogger(__name__)

FRANCECONNECT = "franceconnect"
PROCONNECT = "proconnect"
KNOWN_PROVIDERS = (FRANCECONNECT, PROCONNECT)
SIGNING_ALGORITHMS = ["RS256", "PS256", "ES256"]
# How the store authenticates to the token endpoint (OpenID Connect Core 9), as registered.
SECRET_BASIC = "client_secret_basic"  # noqa: S105 - a method's name, not a secret
CACHE_SECONDS = 3600
LEEWAY_SECONDS = 30


class OidcError(Exception):
    """The provider's answer cannot be trusted or used; nothing is created."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


@dataclass(frozen=True)
class Provider:
    name: str
    issuer: str
    client_id: str
    client_secret: str
    scopes: str
    acr_values: str = ""
    mobile_redirect_uris: tuple = ()
    token_auth_method: str = SECRET_BASIC
    # The provider's addresses are verified (by it or the identity providers it federates),
    # unless a token says otherwise (email_verified false).
    trusts_email: bool = True


@dataclass(frozen=True)
class Identity:
    """What a provider says of the person, once verified."""

    provider: str
    subject: str
    email: str
    given_name: str
    family_name: str
    siret: str
    id_token: str
    claims: dict = field(default_factory=dict)


def configured() -> dict[str, Provider]:
    providers = {}
    for name, conf in (getattr(settings, "OIDC_PROVIDERS", None) or {}).items():
        if name in KNOWN_PROVIDERS and conf.get("issuer") and conf.get("client_id"):
            providers[name] = Provider(
                name=name,
                issuer=conf["issuer"].rstrip("/"),
                client_id=conf["client_id"],
                client_secret=conf.get("client_secret", ""),
                scopes=conf.get("scopes") or "openid email",
                acr_values=conf.get("acr_values", ""),
                mobile_redirect_uris=tuple(conf.get("mobile_redirect_uris") or ()),
                token_auth_method=conf.get("token_auth_method") or SECRET_BASIC,
                trusts_email=conf.get("trusts_email", True),
            )
    return providers


def get_provider(name: str) -> Provider | None:
    return configured().get(name)


# --- Bounded HTTP ---------------------------------------------------------------------------


def _read(response: requests.Response) -> bytes:
    limit = settings.OIDC_MAX_RESPONSE_BYTES
    body = b""
    for chunk in response.iter_content(chunk_size=16_384):
        body += chunk
        if len(body) > limit:
            response.close()
            raise OidcError("response_too_large", response.url)
    return body


def _fetch(method: str, url: str, **kwargs) -> tuple[requests.Response, bytes]:
    try:
        with requests.request(
            method,
            url,
            timeout=settings.OIDC_HTTP_TIMEOUT_SECONDS,
            stream=True,
            allow_redirects=False,
            **kwargs,
        ) as response:
            return response, _read(response)
    except requests.RequestException as error:
        raise OidcError("provider_unreachable", f"{url}: {error}") from error


def _json(body: bytes, what: str) -> dict:
    try:
        data = json.loads(body)
    except ValueError as error:
        raise OidcError("invalid_json", what) from error
    if not isinstance(data, dict):
        raise OidcError("invalid_json", what)
    return data


def discovery(provider: Provider) -> dict:
    key = f"oidc:discovery:{provider.issuer}"
    found = cache.get(key)
    if found is None:
        response, body = _fetch("GET", f"{provider.issuer}/.well-known/openid-configuration")
        if response.status_code != 200:
            raise OidcError("discovery_failed", str(response.status_code))
        found = _json(body, "discovery")
        if found.get("issuer", "").rstrip("/") != provider.issuer:
            raise OidcError("discovery_issuer_mismatch", found.get("issuer", ""))
        for endpoint in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
            if not isinstance(found.get(endpoint), str):
                raise OidcError("discovery_incomplete", endpoint)
        cache.set(key, found, CACHE_SECONDS)
    return found


def key_set(provider: Provider, *, refresh: bool = False) -> KeySet:
    key = f"oidc:jwks:{provider.issuer}"
    found = None if refresh else cache.get(key)
    if found is None:
        response, body = _fetch("GET", discovery(provider)["jwks_uri"])
        if response.status_code != 200:
            raise OidcError("jwks_failed", str(response.status_code))
        found = _json(body, "jwks")
        cache.set(key, found, CACHE_SECONDS)
    try:
        return KeySet.import_key_set(found)
    except (JoseError, ValueError, TypeError, KeyError) as error:
        raise OidcError("jwks_invalid") from error


def _decode(provider: Provider, token: str):
    """The JWT's header and claims once its signature checks out against the provider's keys.

    An unknown key id refreshes the key set once (the provider may have rotated its keys).
    """
    for refresh in (False, True):
        keys = key_set(provider, refresh=refresh)
        try:
            return jwt.decode(token, keys, algorithms=SIGNING_ALGORITHMS)
        except InvalidKeyIdError as error:
            if refresh:
                raise OidcError("unknown_key", str(error)) from error
        except (JoseError, ValueError, TypeError) as error:
            raise OidcError("bad_signature", str(error)) from error
    raise OidcError("unknown_key")  # pragma: no cover - the loop returns or raises


# --- The flow ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Authorization:
    url: str
    state: str
    nonce: str
    code_verifier: str


def authorization(provider: Provider, redirect_uri: str) -> Authorization:
    state = secrets.token_urlsafe(32)
    nonce = secrets.token_urlsafe(32)
    code_verifier = secrets.token_urlsafe(64)
    params = {
        "response_type": "code",
        "client_id": provider.client_id,
        "redirect_uri": redirect_uri,
        "scope": provider.scopes,
        "state": state,
        "nonce": nonce,
        "code_challenge": create_s256_code_challenge(code_verifier),
        "code_challenge_method": "S256",
    }
    if provider.acr_values:
        params["acr_values"] = provider.acr_values
    url = f"{discovery(provider)['authorization_endpoint']}?{urlencode(params)}"
    return Authorization(url=url, state=state, nonce=nonce, code_verifier=code_verifier)


def exchange_code(
    provider: Provider, *, code: str, code_verifier: str, redirect_uri: str, nonce: str
) -> Identity:
    """Trade the code for tokens, verify the ID token, read the userinfo: the person, verified."""
    endpoints = discovery(provider)
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri,
        "code_verifier": code_verifier,
    }
    auth = None
    if provider.token_auth_method == SECRET_BASIC:
        auth = (provider.client_id, provider.client_secret)
    else:
        data.update(client_id=provider.client_id, client_secret=provider.client_secret)
    response, body = _fetch(
        "POST",
        endpoints["token_endpoint"],
        data=data,
        auth=auth,
        headers={"Accept": "application/json"},
    )
    tokens = _json(body, "token")
    if response.status_code != 200:
        raise OidcError("token_refused", str(tokens.get("error", response.status_code)))
    id_token, access_token = tokens.get("id_token"), tokens.get("access_token")
    if not isinstance(id_token, str) or not isinstance(access_token, str):
        raise OidcError("token_incomplete")
    decoded = _decode(provider, id_token)
    claims = CodeIDToken(
        decoded.claims,
        decoded.header,
        options={
            "iss": {"essential": True, "value": provider.issuer},
            "aud": {"essential": True, "value": provider.client_id},
        },
        params={"nonce": nonce, "client_id": provider.client_id, "access_token": access_token},
    )
    try:
        claims.validate(leeway=LEEWAY_SECONDS)
    except JoseError as error:
        raise OidcError("invalid_id_token", str(error)) from error
    # CodeIDToken checks a nonce only when one was asked for: ours always is, so it must match.
    if not nonce or not secrets.compare_digest(str(claims.get("nonce", "")), nonce):
        raise OidcError("invalid_id_token", "nonce")
    # A level was asked for (FranceConnect's eIDAS): the identity must have been proven at it.
    if provider.acr_values and claims.get("acr") not in provider.acr_values.split():
        raise OidcError("invalid_id_token", "acr")
    info = userinfo(provider, access_token) if endpoints.get("userinfo_endpoint") else {}
    if info and info.get("sub") != claims["sub"]:
        raise OidcError("userinfo_subject_mismatch")
    merged = {**dict(claims), **info}
    return Identity(
        provider=provider.name,
        subject=str(claims["sub"]),
        email=str(merged.get("email") or "")[:254],
        given_name=str(merged.get("given_name") or "")[:150],
        family_name=str(merged.get("usual_name") or merged.get("family_name") or "")[:150],
        siret=_siret(merged.get("siret")),
        id_token=id_token,
        claims=merged,
    )


def _siret(value) -> str:
    text = str(value or "").replace(" ", "")
    return text if len(text) == 14 and text.isdigit() else ""


def userinfo(provider: Provider, access_token: str) -> dict:
    """The userinfo, as JSON or as a JWT signed by the provider (FranceConnect's way)."""
    response, body = _fetch(
        "GET",
        discovery(provider)["userinfo_endpoint"],
        headers={"Authorization": f"Bearer {access_token}"},
    )
    if response.status_code != 200:
        raise OidcError("userinfo_failed", str(response.status_code))
    content_type = response.headers.get("Content-Type", "").split(";")[0].strip()
    if content_type == "application/jwt":
        decoded = _decode(provider, body.decode("ascii", "replace").strip())
        claims = CodeIDToken(
            decoded.claims,
            decoded.header,
            options={
                "iss": {"essential": True, "value": provider.issuer},
                "aud": {"essential": True, "value": provider.client_id},
            },
        )
        try:
            # Only the issuer and audience rules apply to a userinfo JWT (no exp required).
            claims.registry_cls(**claims.options).validate(claims)
        except JoseError as error:
            raise OidcError("invalid_userinfo", str(error)) from error
        return dict(decoded.claims)
    return _json(body, "userinfo")


def end_session_url(provider_name: str, id_token: str, post_logout_redirect_uri: str) -> str:
    """Where to send the browser to sign out at the provider too ("" when it has no such page)."""
    provider = get_provider(provider_name)
    if provider is None:
        return ""
    try:
        endpoint = discovery(provider).get("end_session_endpoint")
    except OidcError:
        logger.warning("%s: no end-session endpoint reachable", provider_name)
        return ""
    if not isinstance(endpoint, str):
        return ""
    params = {
        "id_token_hint": id_token,
        "post_logout_redirect_uri": post_logout_redirect_uri,
        "state": secrets.token_urlsafe(16),
    }
    return f"{endpoint}?{urlencode(params)}"
