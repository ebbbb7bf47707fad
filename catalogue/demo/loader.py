"""The catalogue's part of `manage.py load_demo` (store/management/commands): publishers,
accounts, apps with their images, collections.

Idempotent: what already exists (looked up by slug, username or image hash) is left as it is,
so a second run creates nothing. Apps go through Wagtail's ordinary path (add_child, revision,
publication or submission to the workflow), exactly as if an editor had typed them in.
"""

import hashlib
import random
import zlib
from collections import Counter
from datetime import UTC, datetime, timedelta
from html import escape
from io import BytesIO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.images import ImageFile
from django.core.management.base import CommandError
from django.db.models import Q
from tqdm import tqdm
from wagtail.images import get_image_model

from catalogue.demo import images
from catalogue.demo.data import ACCOUNTS, APPS, COLLECTIONS, PUBLISHERS, DemoApp
from catalogue.demo.stores import listing_fields
from catalogue.models import (
    AppListing,
    AppPage,
    AppScreenshot,
    Audience,
    Category,
    Collection,
    CollectionItem,
    Language,
    Publisher,
)
from catalogue.permissions import EDITORS_GROUP
from catalogue.services import add_member, ensure_media_collection, ensure_store_structure

SCREENSHOTS_PER_APP = (2, 3)


class DemoLoader:
    def __init__(self, progress=True):
        self.progress = progress
        self.counts = Counter()
        self.publishers = {}
        self.users = {}
        self.media = {}  # publisher id → its image folder

    def load(self):
        ensure_store_structure()
        self.categories = {c.slug: c for c in Category.objects.all()}
        self.audiences = {a.slug: a for a in Audience.objects.all()}
        self.languages = {lang.code: lang for lang in Language.objects.all()}
        self.check_references()

        for spec in PUBLISHERS:
            self.publishers[spec.slug] = self.load_publisher(spec)
        for account in ACCOUNTS:
            self.users[account.username] = self.load_account(account)
        for spec in tqdm(APPS, desc="Applications", unit="app", disable=not self.progress):
            self.load_app(spec)
        for position, spec in enumerate(COLLECTIONS):
            self.load_collection(spec, position)

    def check_references(self):
        """Catch a typo in the demo data before anything is written."""
        problems = []
        for app in APPS:
            if len(app.tagline) > 140:
                problems.append(f"{app.slug} : accroche de {len(app.tagline)} caractères")
            for slug in app.categories:
                if self.categories.get(slug) is None or self.categories[slug].parent_id is None:
                    problems.append(f"{app.slug} : sous-catégorie inconnue {slug}")
            problems += [
                f"{app.slug} : langue {c}" for c in app.languages if c not in self.languages
            ]
            problems += [
                f"{app.slug} : public {s}" for s in app.audiences if s not in self.audiences
            ]
            if app.publisher not in {p.slug for p in PUBLISHERS}:
                problems.append(f"{app.slug} : éditeur inconnu {app.publisher}")
        if len({app.slug for app in APPS}) != len(APPS):
            problems.append("deux applications ont le même identifiant")
        if problems:
            raise CommandError("Données de démonstration incohérentes :\n" + "\n".join(problems))

    def count(self, kind, created):
        self.counts[kind, "created" if created else "unchanged"] += 1

    def load_publisher(self, spec) -> Publisher:
        # Also by name (unique too): a publisher typed in by hand under another slug.
        publisher = Publisher.objects.filter(Q(slug=spec.slug) | Q(name=spec.name)).first()
        self.count("publishers", publisher is None)
        if publisher is None:
            # The post_save receiver creates the publisher's page, group and image folder.
            publisher = Publisher.objects.create(
                slug=spec.slug,
                name=spec.name,
                kind=spec.kind,
                website=spec.website,
                description=spec.description,
                verified=spec.verified,
            )
            publisher.logo = self.image(
                publisher,
                f"Logo — {spec.name}",
                f"demo-{spec.slug}-logo.png",
                images.logo(spec.name, spec.slug),
            )
            publisher.save(update_fields=["logo"])
        return publisher

    def load_account(self, account):
        users = get_user_model().objects
        user = users.filter(username=account.username).first()
        self.count("accounts", user is None)
        if user is None:
            create = users.create_superuser if account.role == "superuser" else users.create_user
            user = create(
                username=account.username,
                email=f"{account.username}@example.org",
                password=account.password,
                first_name=account.first_name,
                last_name=account.last_name,
            )
        # Memberships are checked on every run: adding an existing one is a no-op.
        if account.role == "editor":
            user.groups.add(Group.objects.get(name=EDITORS_GROUP))
        elif account.role in self.publishers:
            add_member(self.publishers[account.role], user)
        return user

    def owner_of(self, spec: DemoApp):
        """A publisher's member writes its apps when it has one; the administrator otherwise."""
        member = next((a for a in ACCOUNTS if a.role == spec.publisher), None)
        return self.users[member.username if member else "admin"]

    def load_app(self, spec: DemoApp):
        exists = AppPage.objects.filter(slug=spec.slug).exists()
        self.count("apps", not exists)
        if exists:
            return
        publisher = self.publishers[spec.publisher]
        owner = self.owner_of(spec)
        rng = random.Random(spec.slug)
        screenshots = [
            AppScreenshot(
                image=self.image(
                    publisher,
                    f"{spec.name} — {images.SCREENS[index].lower()}",
                    f"demo-{spec.slug}-{index + 1}.png",
                    images.screenshot(spec.name, spec.slug, index),
                ),
                caption=images.SCREENS[index],
                sort_order=index,
            )
            for index in range(rng.choice(SCREENSHOTS_PER_APP))
        ]
        page = AppPage(
            title=spec.name,
            slug=spec.slug,
            tagline=spec.tagline,
            description=rich_text(spec.description),
            icon=self.image(
                publisher,
                f"Icône — {spec.name}",
                f"demo-{spec.slug}-icone.png",
                images.icon(spec.name, spec.slug),
            ),
            publisher=publisher,
            pricing=spec.pricing,
            accessibility=spec.accessibility,
            external_id=f"{publisher_code(spec.publisher)}-{zlib.crc32(spec.slug.encode()):08X}",
            popularity=spec.popularity,
            owner=owner,
            live=not spec.in_moderation,
            first_published_at=None if spec.in_moderation else published_at(rng),
            categories=[self.categories[slug] for slug in spec.categories],
            audiences=[self.audiences[slug] for slug in spec.audiences],
            languages=[self.languages[code] for code in spec.languages],
            listings=listings(spec, rng),
            screenshots=screenshots,
        )
        publisher.page.add_child(instance=page)
        revision = page.save_revision(user=owner)
        if not spec.in_moderation:
            # Members may not publish: the editorial team does it for them.
            revision.publish(user=self.users["editeur"])
        elif workflow := page.get_workflow():
            # Submitted for review, as the member would from the admin.
            workflow.start(page, owner)
            self.counts["apps", "moderation"] += 1

    def image(self, publisher, title, filename, data: bytes):
        """The stored image with these bytes, or a new one in the publisher's folder."""
        Image = get_image_model()
        file_hash = hashlib.sha1(data, usedforsecurity=False).hexdigest()
        image = Image.objects.filter(file_hash=file_hash).first()
        self.count("images", image is None)
        if image is None:
            image = Image(
                title=title,
                file=ImageFile(BytesIO(data), name=filename),
                collection=self.media_collection(publisher),
                file_hash=file_hash,
                file_size=len(data),
            )
            image.save()
        return image

    def media_collection(self, publisher):
        if publisher.pk not in self.media:
            self.media[publisher.pk] = ensure_media_collection(publisher)
        return self.media[publisher.pk]

    def load_collection(self, spec, position):
        collection, created = Collection.objects.get_or_create(
            slug=spec.slug,
            defaults={
                "name": spec.name,
                "description": spec.description,
                "featured": spec.featured,
                "sort_order": position,
            },
        )
        self.count("collections", created)
        if created:
            apps = {app.slug: app for app in AppPage.objects.filter(slug__in=spec.apps)}
            CollectionItem.objects.bulk_create(
                CollectionItem(collection=collection, app=apps[slug], sort_order=index)
                for index, slug in enumerate(spec.apps)
            )


def publisher_code(slug: str) -> str:
    return next(p.code for p in PUBLISHERS if p.slug == slug)


def rich_text(blocks) -> str:
    """Paragraphs as <p>, a nested list as a bulleted list."""
    html = []
    for block in blocks:
        if isinstance(block, str):
            html.append(f"<p>{escape(block, quote=False)}</p>")
        else:
            items = "".join(f"<li>{escape(item, quote=False)}</li>" for item in block)
            html.append(f"<ul>{items}</ul>")
    return "".join(html)


def published_at(rng) -> datetime:
    # Spread over two years, so "latest apps" has an order to show.
    start = datetime(2023, 3, 1, 9, tzinfo=UTC)
    return start + timedelta(days=rng.randint(0, 660), minutes=rng.randint(0, 480))


def listings(spec: DemoApp, rng) -> list[AppListing]:
    """Store entries drawn from the slug's generator, so they never change between runs."""
    return [
        AppListing(sort_order=position, **listing_fields(platform, spec.slug, spec.publisher, rng))
        for position, platform in enumerate(spec.platforms)
    ]
