"""The legal pages (accessibility statement, legal notice, personal data, cookies, site plan),
in French and English, under the home page; created once, editors edit them after.

On a new database the home page does not exist yet (cms.services.ensure_home_page makes it
after `migrate`): it is made here the same way, with the historical models, and the Wagtail
site is pointed at it; ensure_home_page then finds it in place.
"""

import uuid

from django.db import migrations
from django.utils import timezone

from cms.migrations._legal_texts import PAGES

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # treebeard's, steplen 4 (Wagtail's pages)
STEPLEN = 4


def step(number: int) -> str:
    digits = ""
    while number:
        number, rest = divmod(number, len(ALPHABET))
        digits = ALPHABET[rest] + digits
    return digits.rjust(STEPLEN, "0")


def add_child(Page, parent, instance):
    """treebeard's add_child with the historical models: the next path under the parent."""
    last = (
        Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
        .order_by("-path")
        .values_list("path", flat=True)
        .first()
    )
    number = 1 if last is None else int(last[-STEPLEN:], len(ALPHABET)) + 1
    instance.path = parent.path + step(number)
    instance.depth = parent.depth + 1
    instance.numchild = 0
    instance.url_path = (parent.url_path or "/") + instance.slug + "/"
    instance.save()
    Page.objects.filter(pk=parent.pk).update(numchild=parent.numchild + 1)
    parent.numchild += 1
    return instance


def page_fields(apps, model_name, title, slug, locale):
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _ = ContentType.objects.get_or_create(app_label="cms", model=model_name)
    now = timezone.now()
    return {
        "title": title,
        "draft_title": title,
        "slug": slug,
        "content_type": content_type,
        "live": True,
        "has_unpublished_changes": False,
        "first_published_at": now,
        "last_published_at": now,
        "locale": locale,
        "translation_key": uuid.uuid4(),
    }


def stream(blocks):
    return [
        {"type": block, "value": None, "id": str(uuid.uuid4())}
        if isinstance(block, str)
        else {"type": block[0], "value": block[1], "id": str(uuid.uuid4())}
        for block in blocks
    ]


def home_page(apps, locale):
    Page = apps.get_model("wagtailcore", "Page")
    HomePage = apps.get_model("cms", "HomePage")
    Site = apps.get_model("wagtailcore", "Site")
    home = HomePage.objects.first()
    if home is not None:
        return home
    root = Page.objects.filter(depth=1).order_by("path").first()
    home = add_child(
        Page,
        root,
        HomePage(
            intro="Les services numériques pour trouver un emploi, se former et recruter.",
            **page_fields(apps, "homepage", "Emploi Store", "accueil", locale),
        ),
    )
    # Wagtail's "Welcome" page (a plain Page) gives way, as in ensure_home_page.
    plain = apps.get_model("contenttypes", "ContentType").objects.get(
        app_label="wagtailcore", model="page"
    )
    Site.objects.filter(root_page__depth=2, root_page__content_type=plain).update(root_page=home)
    welcome = Page.objects.filter(depth=2, content_type=plain).exclude(pk=home.pk)
    for page in welcome:
        if not Page.objects.filter(path__startswith=page.path, depth__gt=2).exists():
            page.delete()
    Page.objects.filter(pk=root.pk).update(numchild=Page.objects.filter(depth=2).count())
    return home


def forwards(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Locale = apps.get_model("wagtailcore", "Locale")
    LegalPage = apps.get_model("cms", "LegalPage")
    locale = Locale.objects.order_by("pk").first()
    if locale is None:
        locale = Locale.objects.create(language_code="fr")
    home = home_page(apps, locale)
    home = Page.objects.get(pk=home.pk)
    for spec in PAGES:
        if LegalPage.objects.filter(kind=spec["kind"]).exists():
            continue
        slug = spec["slug"]
        if Page.objects.filter(
            path__startswith=home.path, depth=home.depth + 1, slug=slug
        ).exists():
            slug = f"{slug}-{spec['kind'].replace('_', '-')}"
        add_child(
            Page,
            home,
            LegalPage(
                kind=spec["kind"],
                compliance="none",
                title_en=spec["title_en"],
                body=stream(spec["body"]),
                body_en=stream(spec["body_en"]),
                **page_fields(apps, "legalpage", spec["title"], slug, locale),
            ),
        )


def backwards(apps, schema_editor):
    LegalPage = apps.get_model("cms", "LegalPage")
    Page = apps.get_model("wagtailcore", "Page")
    for page in LegalPage.objects.all():
        parent_path = page.path[:-STEPLEN]
        page.delete()
        parent = Page.objects.get(path=parent_path)
        Page.objects.filter(pk=parent.pk).update(numchild=max(0, parent.numchild - 1))


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0002_legal_pages"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
