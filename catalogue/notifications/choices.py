"""What each person chose: which kinds they get by e-mail (and the tokens of the one-click
unsubscribe links that turn one off)."""

from django.core import signing

from catalogue.notifications import recipients
from catalogue.notifications.kinds import AUTHORS, EDITORS, FAVOURITES, KINDS, MEMBERS
from catalogue.notifications.models import Preference
from catalogue.permissions import is_editor, publishers_of

UNSUBSCRIBE_SALT = "notifications.unsubscribe"


def kinds_for(user) -> list:
    """The kinds this person may receive (their preferences page lists these)."""
    audiences = {AUTHORS, FAVOURITES}
    if publishers_of(user):
        audiences.add(MEMBERS)
    if is_editor(user):
        audiences.add(EDITORS)
    return [kind for kind in KINDS.values() if kind.audience in audiences]


def email_choices(user, choices=None) -> dict:
    """kind → whether this person wants its mails."""
    choices = choices or recipients.account_choices(user)
    stored = dict(Preference.objects.filter(user=user).values_list("kind", "email"))
    return {
        key: choices.email.get(key, stored.get(key, kind.email_by_default))
        for key, kind in KINDS.items()
    }


def set_email_choice(user, kind: str, wanted: bool, choices=None) -> None:
    choices = choices or recipients.account_choices(user)
    if kind in choices.email and choices.save:
        choices.save(kind, wanted)
        return
    Preference.objects.update_or_create(user=user, kind=kind, defaults={"email": wanted})


def unsubscribe_token(user, kind: str) -> str:
    """A link's token that turns one kind's mails off for one person (no expiry: a mail's
    unsubscribe link must work as long as the mail is kept)."""
    return signing.dumps({"u": user.pk, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if (
        not isinstance(data, dict)
        or data.get("k") not in KINDS
        or not isinstance(data.get("u"), int)
    ):
        return None
    return data["u"], data["k"]
