import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache

from identity.models import DeviceToken, LinkedIdentity
from tests.oidc.provider import OidcProviders

FC_PERSON = {
    "email": "camille.martin@example.org",
    "email_verified": True,
    "given_name": "Camille",
    "family_name": "Martin",
}
PC_AGENT = {
    "email": "alex.agent@travail.gouv.fr",
    "given_name": "Alex",
    "usual_name": "Agent",
    "siret": "13002526500013",
}


@pytest.fixture(scope="session")
def oidc_providers():
    """Both test providers, for the whole run of this worker (started once, ~1 s)."""
    providers = OidcProviders(["http://testserver"]).start()
    providers.add_account("franceconnect", "camille", FC_PERSON)
    providers.add_account("proconnect", "alex", PC_AGENT)
    yield providers
    providers.stop()


@pytest.fixture
def oidc(oidc_providers, settings):
    """The store configured with both providers; forged tokens stopped after each test."""
    settings.OIDC_PROVIDERS = oidc_providers.settings()
    cache.clear()
    yield oidc_providers
    for name in oidc_providers.issuers:
        oidc_providers.tamper(name, None)
    cache.clear()


def counts() -> tuple[int, int, int]:
    """(accounts, linked identities, API tokens): what a refused sign-in must leave as it was."""
    return (
        get_user_model().objects.count(),
        LinkedIdentity.objects.count(),
        DeviceToken.objects.count(),
    )
