"""« Mon compte »: name, language and notification preferences; the e-mail address changed
only through a signed link sent to the new address; the password changed with the current one."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail, signing
from django.urls import reverse

from store import email_links
from store.models import AccountSettings
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()
NEW_PASSWORD = "Une-autre-phrase-de-passe-7"


@pytest.fixture
def user(db):
    return UserFactory(username="claude", email="claude@example.org")


@pytest.fixture
def signed_in(client, user):
    client.force_login(user)
    return client


def link_in(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def test_the_account_page_lists_what_one_can_do(signed_in):
    html = signed_in.get(reverse("account_home")).content.decode()
    for name in ("account_profile", "account_data", "account_delete"):
        assert reverse(name) in html


def test_editing_name_language_and_preferences(signed_in, user):
    response = signed_in.post(
        reverse("account_profile"),
        {
            "first_name": "Claude",
            "last_name": "Bernard",
            "language": "en",
            "notify_review_reply": "on",
        },
    )
    assert response.status_code == 302
    # The chosen language is set for the next pages.
    assert response.cookies["django_language"].value == "en"
    user.refresh_from_db()
    assert (user.first_name, user.last_name) == ("Claude", "Bernard")
    saved = AccountSettings.objects.get(user=user)
    assert (saved.language, saved.notify_review_reply, saved.notify_review_moderation) == (
        "en",
        True,
        False,
    )
    page = signed_in.get(reverse("account_profile"))
    assert 'value="Bernard"' in page.content.decode()


def test_the_language_follows_the_person_at_sign_in(client, user):
    AccountSettings.objects.update_or_create(user=user, defaults={"language": "en"})
    response = client.post(reverse("account_login"), {"username": "claude", "password": PASSWORD})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"


def test_an_unknown_language_is_refused(signed_in):
    response = signed_in.post(reverse("account_profile"), {"language": "de"})
    assert response.status_code == 400


def test_changing_the_email_needs_the_link_sent_to_the_new_address(signed_in, user):
    response = signed_in.post(
        reverse("account_email"), {"email": "claude.nouveau@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email == "claude@example.org"  # unchanged until the link is followed
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["claude.nouveau@example.org"]
    assert AccountSettings.objects.get(user=user).email_confirmation_sent_at is not None

    link = link_in(mail.outbox[0])
    confirmed = signed_in.get(link)
    assert confirmed.status_code == 302
    user.refresh_from_db()
    assert user.email == "claude.nouveau@example.org"
    assert AccountSettings.objects.get(user=user).email_confirmed_at is not None

    # Used once: the same link is worth nothing now.
    again = signed_in.get(link)
    assert again.status_code == 400


def test_the_email_form_checks_the_password_and_the_address(signed_in, user):
    UserFactory(username="autre", email="pris@example.org")
    wrong = signed_in.post(
        reverse("account_email"), {"email": "neuf@example.org", "password": "non"}
    )
    assert wrong.status_code == 400 and "Mot de passe incorrect" in wrong.content.decode()
    taken = signed_in.post(
        reverse("account_email"), {"email": "PRIS@example.org", "password": PASSWORD}
    )
    assert taken.status_code == 400 and "Un autre compte" in taken.content.decode()
    same = signed_in.post(
        reverse("account_email"), {"email": "claude@example.org", "password": PASSWORD}
    )
    assert same.status_code == 400
    assert mail.outbox == []


def test_forged_expired_or_foreign_links_are_refused(client, user, settings):
    token = email_links.make_token(user, "x@example.org", "email-change")
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert client.get(reverse("account_email_confirm", args=[tampered])).status_code == 400
    # Another purpose (a sign-up confirmation, say) does not change an address.
    other = email_links.make_token(user, "x@example.org", "signup")
    assert client.get(reverse("account_email_confirm", args=[other])).status_code == 400
    # Expired.
    settings.EMAIL_CHANGE_LINK_MAX_AGE = -1
    response = client.get(reverse("account_email_confirm", args=[token]))
    assert response.status_code == 400 and "expiré" in response.content.decode()
    user.refresh_from_db()
    assert user.email == "claude@example.org"


def test_an_address_taken_meanwhile_is_not_stolen(client, user):
    token = email_links.make_token(user, "convoitee@example.org", "email-change")
    UserFactory(username="rapide", email="convoitee@example.org")
    assert client.get(reverse("account_email_confirm", args=[token])).status_code == 409
    user.refresh_from_db()
    assert user.email == "claude@example.org"


def test_read_token_gives_back_user_and_address(user):
    token = email_links.make_token(user, "lu@example.org", "email-change")
    found, email = email_links.read_token(token, "email-change", max_age=60)
    assert (found.pk, email) == (user.pk, "lu@example.org")
    with pytest.raises(email_links.LinkError):
        email_links.read_token("pas-un-jeton", "email-change", max_age=60)
    with pytest.raises(email_links.LinkError):
        email_links.read_token(signing.dumps(["x"], salt=email_links.SALT), "email-change", 60)


def test_changing_the_password_keeps_this_browser_signed_in(signed_in, user):
    wrong = signed_in.post(
        reverse("account_password"),
        {"old_password": "non", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert wrong.status_code == 400
    response = signed_in.post(
        reverse("account_password"),
        {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert signed_in.get(reverse("account_home")).status_code == 200
