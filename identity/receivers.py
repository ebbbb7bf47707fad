"""A pending identity is linked once its owner signs in with the account's password."""

from django.contrib.auth.signals import user_logged_in
from django.contrib.messages import success
from django.utils.translation import gettext as _

from identity import services


def link_after_password_sign_in(sender, request, user, **kwargs):
    if request is None or getattr(request, "identity_provider_sign_in", False):
        return
    session = getattr(request, "session", None)
    if session is None or services.PENDING_LINK_KEY not in session:
        return
    identity = services.pending_link(session)
    del session[services.PENDING_LINK_KEY]
    if identity is None:
        return
    try:
        services.link(user, identity)
    except services.IdentityRefused:
        return
    label = {"franceconnect": "FranceConnect", "proconnect": "ProConnect"}.get(
        identity.provider, identity.provider
    )
    message = _("Votre identité %(provider)s est liée à votre compte.") % {"provider": label}
    success(request, message)


def connect():
    user_logged_in.connect(
        link_after_password_sign_in, dispatch_uid="identity.link_after_password_sign_in"
    )
