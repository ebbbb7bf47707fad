"""The test run's OpenID providers: tests/oidc/server.mjs (panva's oidc-provider) on loopback.

    providers = OidcProviders(["http://testserver"]).start()
    providers.issuer("franceconnect")            # http://127.0.0.1:<port>
    providers.add_account("franceconnect", "camille", {"email": ..., "given_name": ...})
    callback = providers.sign_in(authorize_url, "camille")   # the store's return URL
    providers.tamper("franceconnect", "aud")     # the next ID tokens are forged so
    providers.stop()

A FranceConnect-like provider (client_secret_post, userinfo as a signed JWT, acr eidas1) and a
ProConnect-like one (client_secret_basic, userinfo as JSON, the SIRET claim). The npm packages
are installed in tests/oidc/node_modules by `scripts/browser.sh ensure` (run by `make test`).
"""

import json
import os
import re
import select
import subprocess
import time
from html import unescape
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import requests

HERE = Path(__file__).resolve().parent
SERVER = HERE / "server.mjs"
MOBILE_REDIRECT_URI = "https://app.emploi-store.test/oidc/retour"
CLIENTS = {
    "franceconnect": {
        "client_id": "store-franceconnect",
        "client_secret": "franceconnect-test-secret",
        "token_endpoint_auth_method": "client_secret_post",
        "userinfo_signed_response_alg": "RS256",
        "scopes": {
            "given_name": ["given_name"],
            "family_name": ["family_name"],
            "email": ["email", "email_verified"],
        },
        "scope": "openid given_name family_name email",
    },
    "proconnect": {
        "client_id": "store-proconnect",
        "client_secret": "proconnect-test-secret",
        "token_endpoint_auth_method": "client_secret_basic",
        "scopes": {
            "email": ["email"],
            "given_name": ["given_name"],
            "usual_name": ["usual_name"],
            "siret": ["siret"],
        },
        "scope": "openid email given_name usual_name siret",
    },
}
FORM_ACTION = re.compile(r'<form method="post" action="([^"]+)"')


class OidcProviders:
    def __init__(self, store_bases: list[str]):
        self.store_bases = [base.rstrip("/") for base in store_bases]
        self.process = None
        self.issuers: dict[str, str] = {}

    def _config(self) -> dict:
        providers = []
        for name, client in CLIENTS.items():
            spec = {
                "client_id": client["client_id"],
                "client_secret": client["client_secret"],
                "token_endpoint_auth_method": client["token_endpoint_auth_method"],
                "redirect_uris": [
                    f"{base}/compte/connexion/{name}/retour/" for base in self.store_bases
                ]
                + [MOBILE_REDIRECT_URI],
                "post_logout_redirect_uris": [f"{base}/" for base in self.store_bases],
                "grant_types": ["authorization_code"],
                "response_types": ["code"],
            }
            if "userinfo_signed_response_alg" in client:
                spec["userinfo_signed_response_alg"] = client["userinfo_signed_response_alg"]
            providers.append({"name": name, "clients": [spec], "scopes": client["scopes"]})
        return {"providers": providers}

    def start(self, timeout: float = 30) -> "OidcProviders":
        if not (HERE / "node_modules" / "oidc-provider").is_dir():
            raise RuntimeError(
                "oidc-provider is not installed: run scripts/browser.sh ensure (make test does)"
            )
        self.process = subprocess.Popen(  # noqa: S603 - our own script, no shell
            ["node", str(SERVER)],  # noqa: S607 - Node.js from PATH, as npm installed it
            cwd=HERE,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**os.environ, "NODE_ENV": "test"},
        )
        self.process.stdin.write(json.dumps(self._config()).encode())
        self.process.stdin.close()
        deadline = time.monotonic() + timeout
        line = b""
        while time.monotonic() < deadline and not line.endswith(b"\n"):
            ready, _w, _x = select.select([self.process.stdout], [], [], 0.5)
            if ready:
                chunk = os.read(self.process.stdout.fileno(), 4096)
                if not chunk:
                    break
                line += chunk
        if b"ready" not in line:
            self.stop()
            raise RuntimeError(f"the test OpenID provider did not start: {line!r}")
        self.issuers = json.loads(line)["ready"]
        return self

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.process = None

    def issuer(self, name: str) -> str:
        return self.issuers[name]

    def settings(self, *names: str, acr_values: str = "") -> dict:
        """settings.OIDC_PROVIDERS for these providers (all by default)."""
        return {
            name: {
                "issuer": self.issuers[name],
                "client_id": CLIENTS[name]["client_id"],
                "client_secret": CLIENTS[name]["client_secret"],
                "scopes": CLIENTS[name]["scope"],
                "acr_values": acr_values,
                "mobile_redirect_uris": [MOBILE_REDIRECT_URI],
                "token_auth_method": CLIENTS[name]["token_endpoint_auth_method"],
            }
            for name in (names or CLIENTS)
        }

    def add_account(self, name: str, login: str, claims: dict):
        response = requests.post(
            f"{self.issuers[name]}/__test__/accounts", json={login: claims}, timeout=10
        )
        response.raise_for_status()

    def tamper(self, name: str, mode: str | None):
        response = requests.post(
            f"{self.issuers[name]}/__test__/tamper", json={"mode": mode}, timeout=10
        )
        response.raise_for_status()

    def sign_in(self, authorize_url: str, login: str, browser=None) -> str:
        """Sign in at the provider as ``login``: the URL it sends the browser back to."""
        browser = browser or requests.Session()
        origin = "{0.scheme}://{0.netloc}".format(urlsplit(authorize_url))
        url, method, data = authorize_url, "GET", None
        for _step in range(10):
            response = browser.request(method, url, data=data, allow_redirects=False, timeout=10)
            if response.is_redirect:
                location = urljoin(url, response.headers["Location"])
                if not location.startswith(origin):
                    return location
                url, method, data = location, "GET", None
                continue
            action = FORM_ACTION.search(response.text)
            if response.status_code != 200 or not action:
                raise AssertionError(f"unexpected provider page {response.status_code}: {url}")
            url, method, data = urljoin(url, unescape(action.group(1))), "POST", {"login": login}
        raise AssertionError("too many steps at the provider")
