"""identity's answers to the hooks of lower layers."""

from urllib.parse import urlsplit

from wagtail import hooks

from identity import oidc
from web.csp import CSP_FORM_ACTION_HOOK


@hooks.register(CSP_FORM_ACTION_HOOK)
def provider_origins() -> list[str]:
    """The sign-in buttons and the sign-out post to the site, which sends the browser on to
    the provider (its authorization and end-session endpoints, on the issuer's origin)."""
    origins = []
    for provider in oidc.configured().values():
        parts = urlsplit(provider.issuer)
        origins.append(f"{parts.scheme}://{parts.netloc}")
    return origins
