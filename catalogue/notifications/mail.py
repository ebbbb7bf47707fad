"""One mail: a notification, or a digest of several of one kind, to one person, in their
language, as plain text and HTML, with a one-click unsubscribe link (in the body, and in the
``List-Unsubscribe`` / ``List-Unsubscribe-Post`` headers of RFC 8058)."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from catalogue.notifications import choices as email_choices
from catalogue.notifications import recipients
from catalogue.notifications.kinds import KINDS
from catalogue.notifications.messages import describe, describe_digest


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}" if path.startswith("/") else path


def send(user, kind: str, notifications: list, choices=None) -> None:
    choices = choices or recipients.account_choices(user)
    with translation.override(recipients.language_of(choices)):
        if len(notifications) == 1:
            message = describe(kind, notifications[0].params)
            url = notifications[0].url
        else:
            message = describe_digest(kind, notifications)
            url = reverse("notifications:list")
        unsubscribe_url = absolute(
            reverse("notifications:unsubscribe", args=[email_choices.unsubscribe_token(user, kind)])
        )
        context = {
            "message": message,
            "url": absolute(url) if url else "",
            "unsubscribe_url": unsubscribe_url,
            "preferences_url": absolute(reverse("notifications:preferences")),
            "kind_label": KINDS[kind].label,
            "site_url": settings.SITE_URL,
        }
        text = render_to_string("notifications/mail/message.txt", context)
        html = render_to_string("notifications/mail/message.html", context)
        subject = " ".join(str(message.subject).split())
    email = EmailMultiAlternatives(
        subject,
        text,
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    email.attach_alternative(html, "text/html")
    email.send()
