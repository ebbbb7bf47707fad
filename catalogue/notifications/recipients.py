"""Who is told, and in which language.

The person's language (and the choices the shell keeps in « Mon compte » about the mails on
their own reviews) belong to the shell's ``AccountSettings``, which this layer may not
import: the shell registers a function under ``RECIPIENT_HOOK`` (store/wagtail_hooks.py)
returning an ``AccountChoices``. Without one, mails go in the site's language.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from wagtail import hooks

from catalogue.permissions import EDITORS_GROUP

RECIPIENT_HOOK = "emploistore_notification_recipient"


@dataclass
class AccountChoices:
    language: str = ""
    # Kinds whose e-mail choice the account keeps itself: kind → wanted.
    email: dict = field(default_factory=dict)
    # fn(kind, wanted): records a choice of a kind listed in ``email`` (unsubscribe links).
    save: object = None
    settings_url: str = ""


def account_choices(user) -> AccountChoices:
    for provider in hooks.get_hooks(RECIPIENT_HOOK):
        choices = provider(user)
        if choices is not None:
            return choices
    return AccountChoices()


def language_of(choices: AccountChoices) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    return choices.language if choices.language in codes else settings.LANGUAGE_CODE


def active_users():
    return get_user_model().objects.filter(is_active=True)


def members_of(publisher_id: int):
    return active_users().filter(groups__publisher__pk=publisher_id)


def editors():
    return active_users().filter(groups__name=EDITORS_GROUP)


def favourites_of(app_id: int):
    return active_users().filter(favourites__app_id=app_id)
