"""Helpers of the reviews admin tests: reviews in a given state, the six roles, the answers."""

from decimal import Decimal
from html import unescape

from django.contrib.messages import get_messages
from django.urls import reverse

from catalogue.models import AppPage
from reviews import services
from reviews.models import Review
from tests.factories import UserFactory

# Everyone the admin must tell apart (the members are members of the publishers of app_a / app_b).
ROLES = ("anonymous", "plain", "member_a", "member_b", "editor", "superuser")

XSS_TITLE = "<script>alert(1)</script>"
XSS_BODY = "Bien <img src=x onerror=alert(1)> vraiment"
XSS_ESCAPED = ("&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;img src=x onerror=alert(1)&gt;")
XSS_RAW = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>")


def seasoned(username: str, **kwargs):
    """A user old enough for the account-age rule (imported late: the conftest is pytest's)."""
    from tests.integration.reviews.conftest import seasoned_user

    return seasoned_user(username=username, **kwargs)


def make_people(member_a, member_b, editor) -> dict:
    superuser = UserFactory(username="root")
    superuser.is_superuser = superuser.is_staff = True
    superuser.save(update_fields=["is_superuser", "is_staff"])
    return {
        "anonymous": None,
        "plain": seasoned("simple"),
        "member_a": member_a,
        "member_b": member_b,
        "editor": editor,
        "superuser": superuser,
    }


def login(client, user):
    if user is not None:
        client.force_login(user)
    return client


def published(app, author_name: str, *, rating: int = 4, title: str = "Bien", body: str = ""):
    """A review published through the services (so the app's aggregates count it)."""
    review = services.submit_review(
        app, seasoned(author_name), rating=rating, title=title, body=body or "Utile et clair."
    )
    assert review.status == Review.Status.PUBLISHED, review.held_because
    return review


def pending(app, author_name: str, *, rating: int = 3, held=("link",), **fields):
    """A review the policy held (pending reviews never count in the aggregates)."""
    return Review.objects.create(
        app=app,
        author=seasoned(author_name),
        rating=rating,
        status=Review.Status.PENDING,
        held_because=list(held),
        title=fields.pop("title", "En attente"),
        body=fields.pop("body", "Voir https://exemple.fr"),
        **fields,
    )


def figures(app) -> tuple[int, Decimal]:
    app = AppPage.objects.get(pk=app.pk)
    return app.rating_count, app.rating_average


def html(response) -> str:
    return response.content.decode()


def last_message(response) -> str:
    messages = [unescape(str(m)).strip() for m in get_messages(response.wsgi_request)]
    assert messages, "no message"
    return messages[-1]


def assert_login_redirect(response):
    """Anonymous people, and accounts without access to the admin, go to the login page."""
    assert response.status_code == 302, response.status_code
    assert response["Location"].startswith(reverse("wagtailadmin_login"))
