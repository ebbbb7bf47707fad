"""The shell's answers to the hooks of lower layers: accounts are the shell's, so it says which
are verified; identity's SIRET suggestion for onboarding's application; a person's language and
the choices of mails « Mon compte » keeps (AccountSettings), for the notifications."""

from django.urls import reverse
from wagtail import hooks

from catalogue.notifications.recipients import RECIPIENT_HOOK, AccountChoices
from catalogue.permissions import ACCOUNT_VERIFIED_HOOK
from identity.services import suggested_siret
from onboarding.views import SIRET_SUGGESTION_HOOK
from store import verification
from store.models import AccountSettings

hooks.register(ACCOUNT_VERIFIED_HOOK, verification.is_verified)
# ProConnect's organisation, suggested (never granted) in a publisher application.
hooks.register(SIRET_SUGGESTION_HOOK, suggested_siret)

# Kinds of notification whose e-mail choice is an AccountSettings field (edited in « Mon
# compte »): kind → field.
ACCOUNT_EMAIL_CHOICES = {
    "review_reply": "notify_review_reply",
    "review_moderated": "notify_review_moderation",
}


@hooks.register(RECIPIENT_HOOK)
def account_choices(user) -> AccountChoices:
    account = AccountSettings.objects.filter(user=user).first()

    def save(kind, wanted):
        AccountSettings.objects.update_or_create(
            user=user, defaults={ACCOUNT_EMAIL_CHOICES[kind]: wanted}
        )

    return AccountChoices(
        language=account.language if account else "",
        email={
            kind: bool(account and getattr(account, field))
            for kind, field in ACCOUNT_EMAIL_CHOICES.items()
        },
        save=save,
        settings_url=reverse("account_profile"),
    )
