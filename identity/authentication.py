"""DRF authentication by device token (``Authorization: Token <secret>``), replacing authtoken's."""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from identity.tokens import find_token


class DeviceTokenAuthentication(TokenAuthentication):
    """Same header and answers as DRF's TokenAuthentication; ``request.auth`` is the DeviceToken."""

    def authenticate_credentials(self, key):
        token = find_token(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Jeton invalide ou expiré."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Compte inactif ou supprimé."))
        return token.user, token
