"""A unique index on app slugs (AppPage.app_slug, the page's slug copied by save()).

Apps that share a slug today (two publishers, a race) are told apart first: the app that keeps
it is the live one published first (else the oldest); each other one gets « -2 », « -3 »… (a
slug no page uses), in its page, its URL path and the revisions that carried the old slug, so
that publishing a later revision does not bring the duplicate back. Search's reconcile task
brings the index in line.
"""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def tell_duplicates_apart(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    AppPage = apps.get_model("catalogue", "AppPage")
    Revision = apps.get_model("wagtailcore", "Revision")
    ContentType = apps.get_model("contenttypes", "ContentType")
    rows = list(
        AppPage.objects.order_by("slug", "-live", "first_published_at", "pk").values_list(
            "pk", "slug", "url_path"
        )
    )
    page_type = ContentType.objects.filter(app_label="wagtailcore", model="page").first()
    taken = set(Page.objects.values_list("slug", flat=True))
    kept = set()
    for pk, slug, url_path in rows:
        if slug not in kept:
            kept.add(slug)
            continue
        counter = 2
        while f"{slug}-{counter}"[:255] in taken:
            counter += 1
        new_slug = f"{slug}-{counter}"[:255]
        taken.add(new_slug)
        new_path = url_path[: -len(slug) - 1] + new_slug + "/"
        Page.objects.filter(pk=pk).update(slug=new_slug, url_path=new_path)
        revisions = Revision.objects.filter(object_id=str(pk))
        if page_type is not None:
            revisions = revisions.filter(base_content_type=page_type)
        for revision in revisions:
            if isinstance(revision.content, dict) and revision.content.get("slug") == slug:
                revision.content["slug"] = new_slug
                revision.save(update_fields=["content"])
        print(f"\n  app {pk}: slug « {slug} » already used, now « {new_slug} »", end="")
    AppPage.objects.update(
        app_slug=Subquery(Page.objects.filter(pk=OuterRef("pk")).values("slug")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0010_translations_licence_releases"),
    ]

    operations = [
        migrations.AddField(
            model_name="apppage",
            name="app_slug",
            # No index yet (SlugField's default one would clash with the unique one below).
            field=models.SlugField(db_index=False, editable=False, max_length=255, null=True),
        ),
        migrations.RunPython(tell_duplicates_apart, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apppage",
            name="app_slug",
            field=models.SlugField(editable=False, max_length=255, unique=True),
        ),
    ]
