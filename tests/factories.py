"""factory_boy factories for the catalogue.

Pages are created the way the admin creates them: as children of their parent page
(``add_child``), then a revision is saved and published, so every app has a live revision.
"""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from factory.django import DjangoModelFactory
from wagtail.images import get_image_model

from catalogue.models import (
    AppListing,
    AppPage,
    Audience,
    Category,
    Collection,
    CollectionItem,
    Language,
    Publisher,
)
from catalogue.permissions import EDITORS_GROUP
from catalogue.services import add_member
from identity.tokens import issue_token
from store.verification import mark_verified

PASSWORD = "correct-horse-battery-staple"


# --- Reference data: created by the data migration, looked up rather than invented ---------


class CategoryFactory(DjangoModelFactory):
    """A category; with an existing slug (from the data migration) it is looked up, not made."""

    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Catégorie {n}")
    slug = factory.Sequence(lambda n: f"categorie-{n}")
    parent = None


class AudienceFactory(DjangoModelFactory):
    class Meta:
        model = Audience
        django_get_or_create = ("slug",)

    slug = "jobseekers"
    name = "Demandeurs d'emploi"


class LanguageFactory(DjangoModelFactory):
    class Meta:
        model = Language
        django_get_or_create = ("code",)

    code = "fr"
    name = "Français"


def category(slug: str) -> Category:
    """A category created by the data migration (fails loudly if it is missing)."""
    return Category.objects.get(slug=slug)


def universe(slug: str = "se-former") -> Category:
    found = category(slug)
    assert found.parent_id is None, f"{slug} is not a universe"
    return found


def subcategory(slug: str = "trouver-une-formation") -> Category:
    found = category(slug)
    assert found.parent_id is not None, f"{slug} is not a sub-category"
    return found


# --- Images ------------------------------------------------------------------------------


class ImageFactory(DjangoModelFactory):
    """A small PNG in Wagtail's image library (set MEDIA_ROOT to a temporary directory)."""

    class Meta:
        model = get_image_model()

    title = factory.Sequence(lambda n: f"Icône {n}")
    file = factory.django.ImageField(width=64, height=64, color="navy", filename="icone.png")


# --- Users -------------------------------------------------------------------------------


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Martin{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(user, create, extracted, **kwargs):
        if create:
            user.save(update_fields=["password"])

    @factory.post_generation
    def verified(user, create, extracted, **kwargs):
        """Its address confirmed (store.verification), unless UserFactory(verified=False)."""
        if create and extracted is not False and user.email:
            mark_verified(user)


class EditorFactory(UserFactory):
    """A member of the editorial team (group "Editors"): approves and publishes."""

    username = factory.Sequence(lambda n: f"editor{n}")

    @factory.post_generation
    def editors_group(user, create, extracted, **kwargs):
        if create:
            user.groups.add(Group.objects.get(name=EDITORS_GROUP))


class MemberFactory(UserFactory):
    """A member of a publisher: writes drafts of its apps, submits them for review."""

    username = factory.Sequence(lambda n: f"member{n}")

    @factory.post_generation
    def publisher(user, create, extracted, **kwargs):
        """MemberFactory(publisher=p) makes the user a member of p."""
        if create and extracted is not None:
            add_member(extracted, user)


# --- Publishers --------------------------------------------------------------------------


class PublisherFactory(DjangoModelFactory):
    """Saving a publisher creates its space (page, group, permissions, media collection)."""

    class Meta:
        model = Publisher
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Éditeur {n}")
    slug = factory.Sequence(lambda n: f"editeur-{n}")
    kind = Publisher.Kind.PUBLIC_SERVICE
    website = factory.LazyAttribute(lambda publisher: f"https://{publisher.slug}.example.org")
    description = "Un éditeur de services numériques pour l'emploi."


# --- Apps --------------------------------------------------------------------------------


class AppListingFactory(factory.Factory):
    """An unsaved listing, to hand to AppPageFactory(listings=[...])."""

    class Meta:
        model = AppListing

    platform = AppListing.Platform.WEB
    url = factory.Sequence(lambda n: f"https://app{n}.example.org/")
    version = "1.0"


class AppPageFactory(factory.Factory):
    """An app page under its publisher's page, with a published revision.

    ``listings``: platforms (``["web", "ios"]``) or unsaved AppListing instances; at least one.
    ``categories``: Category instances (default: one sub-category of "Se former").
    ``live=False`` leaves the page as a draft (a revision is saved, not published).
    """

    class Meta:
        model = AppPage

    title = factory.Sequence(lambda n: f"Application {n}")
    slug = factory.Sequence(lambda n: f"application-{n}")
    tagline = factory.LazyAttribute(lambda app: f"L'accroche de {app.title}")
    description = factory.LazyAttribute(lambda app: f"<p>{app.title} aide à trouver un emploi.</p>")
    pricing = AppPage.Pricing.FREE
    accessibility = AppPage.Accessibility.PARTIAL
    external_id = ""
    publisher = factory.SubFactory(PublisherFactory)

    @classmethod
    def _create(
        cls,
        model_class,
        *args,
        publisher,
        listings=("web",),
        categories=None,
        audiences=None,
        languages=None,
        live=True,
        **kwargs,
    ):
        parent = publisher.page
        app = model_class(*args, publisher=publisher, **kwargs)
        for position, listing in enumerate(listings or ()):
            if isinstance(listing, str):
                listing = AppListingFactory.build(platform=listing)
            listing.sort_order = position
            app.listings.add(listing)
        app.categories = list(categories) if categories is not None else [subcategory()]
        app.audiences = (
            list(audiences) if audiences is not None else [AudienceFactory(slug="jobseekers")]
        )
        app.languages = list(languages) if languages is not None else [LanguageFactory(code="fr")]
        if not live:
            app.live = False
        parent.add_child(instance=app)
        revision = app.save_revision()
        if live:
            revision.publish()
        app.refresh_from_db()
        return app

    @classmethod
    def _build(cls, model_class, *args, publisher, **kwargs):
        for name in ("listings", "categories", "audiences", "languages", "live"):
            kwargs.pop(name, None)
        return model_class(*args, publisher=publisher, **kwargs)


# --- Collections -------------------------------------------------------------------------


class CollectionFactory(DjangoModelFactory):
    """An editor-curated list; ``apps=[...]`` fills it in that order."""

    class Meta:
        model = Collection
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Sélection {n}")
    slug = factory.Sequence(lambda n: f"selection-{n}")
    description = "Une sélection de l'équipe éditoriale."
    featured = True

    @factory.post_generation
    def apps(collection, create, extracted, **kwargs):
        if create and extracted:
            for position, app in enumerate(extracted):
                CollectionItem.objects.create(collection=collection, app=app, sort_order=position)


def api_token(user, device_name: str = "Appareil de test") -> str:
    """A new device token's secret for ``Authorization: Token <secret>`` (identity.tokens)."""
    _token, secret = issue_token(user, device_name)
    return secret
