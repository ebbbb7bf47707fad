"""The publisher sync's models, moved here from the catalogue app: state only.

The tables already exist under their old names (``catalogue_feed``…, created by catalogue's
0006): the models keep them (``db_table``), so this writes no table. The content types move
to this app, so the permissions granted on them (editors' group) follow.
"""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

MODELS = ["feed", "feeditem", "syncrun", "categorymapping"]


def move_content_types(apps, schema_editor):
    content_types = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not content_types.objects.filter(app_label="sync", model=model).exists():
            content_types.objects.filter(app_label="catalogue", model=model).update(
                app_label="sync"
            )


def move_content_types_back(apps, schema_editor):
    content_types = apps.get_model("contenttypes", "ContentType")
    content_types.objects.filter(app_label="sync", model__in=MODELS).update(app_label="catalogue")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("catalogue", "0008_app_problem_reports"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Feed",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("name", models.CharField(max_length=120, verbose_name="nom")),
                        ("url", models.URLField(max_length=1000, verbose_name="adresse du flux")),
                        (
                            "format",
                            models.CharField(
                                choices=[
                                    ("native", "Flux JSON de l'Emploi Store"),
                                    ("appstream", "AppStream (XML MetaInfo ou catalogue)"),
                                    ("itunes", "iTunes lookup (JSON)"),
                                ],
                                max_length=10,
                                verbose_name="format",
                            ),
                        ),
                        ("enabled", models.BooleanField(default=True, verbose_name="actif")),
                        (
                            "interval_hours",
                            models.PositiveIntegerField(
                                default=24,
                                help_text="Le flux est relu toutes les N heures.",
                                validators=[
                                    django.core.validators.MinValueValidator(1),
                                    django.core.validators.MaxValueValidator(720),
                                ],
                                verbose_name="fréquence (heures)",
                            ),
                        ),
                        (
                            "next_sync_at",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="prochaine synchronisation"
                            ),
                        ),
                        ("etag", models.CharField(blank=True, editable=False, max_length=500)),
                        (
                            "last_modified",
                            models.CharField(blank=True, editable=False, max_length=100),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "publisher",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="feeds",
                                to="catalogue.publisher",
                                verbose_name="éditeur",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "flux de métadonnées",
                        "verbose_name_plural": "flux de métadonnées",
                        "db_table": "catalogue_feed",
                        "ordering": ["publisher__name", "name"],
                    },
                ),
                migrations.CreateModel(
                    name="FeedItem",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("external_id", models.CharField(max_length=200)),
                        ("content_hash", models.CharField(max_length=64)),
                        ("images", models.JSONField(blank=True, default=dict)),
                        ("first_seen_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("missing_since", models.DateTimeField(blank=True, null=True)),
                        ("archived_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "app",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="feed_items",
                                to="catalogue.apppage",
                            ),
                        ),
                        (
                            "feed",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="items",
                                to="sync.feed",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "application d'un flux",
                        "verbose_name_plural": "applications d'un flux",
                        "db_table": "catalogue_feeditem",
                    },
                ),
                migrations.CreateModel(
                    name="SyncRun",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "trigger",
                            models.CharField(
                                choices=[
                                    ("schedule", "Planifiée"),
                                    ("manual", "Depuis l'administration"),
                                    ("shell", "En ligne de commande"),
                                ],
                                default="schedule",
                                max_length=10,
                                verbose_name="déclenchement",
                            ),
                        ),
                        (
                            "dry_run",
                            models.BooleanField(
                                default=False, verbose_name="aperçu (rien n'est écrit)"
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("running", "En cours"),
                                    ("done", "Terminée"),
                                    ("done_with_errors", "Terminée avec des erreurs"),
                                    ("failed", "Échouée"),
                                ],
                                default="running",
                                max_length=20,
                                verbose_name="statut",
                            ),
                        ),
                        (
                            "started_at",
                            models.DateTimeField(
                                db_index=True,
                                default=django.utils.timezone.now,
                                verbose_name="début",
                            ),
                        ),
                        (
                            "finished_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="fin"),
                        ),
                        (
                            "http_status",
                            models.PositiveSmallIntegerField(
                                blank=True, null=True, verbose_name="statut HTTP"
                            ),
                        ),
                        (
                            "not_modified",
                            models.BooleanField(default=False, verbose_name="flux inchangé (304)"),
                        ),
                        ("seen", models.PositiveIntegerField(default=0, verbose_name="lues")),
                        ("created", models.PositiveIntegerField(default=0, verbose_name="créées")),
                        (
                            "updated",
                            models.PositiveIntegerField(default=0, verbose_name="mises à jour"),
                        ),
                        (
                            "unchanged",
                            models.PositiveIntegerField(default=0, verbose_name="inchangées"),
                        ),
                        (
                            "archived",
                            models.PositiveIntegerField(default=0, verbose_name="archivées"),
                        ),
                        ("failed", models.PositiveIntegerField(default=0, verbose_name="en échec")),
                        ("message", models.TextField(blank=True, verbose_name="message")),
                        (
                            "errors",
                            models.JSONField(
                                blank=True, default=list, verbose_name="erreurs par application"
                            ),
                        ),
                        (
                            "warnings",
                            models.JSONField(
                                blank=True, default=list, verbose_name="avertissements"
                            ),
                        ),
                        (
                            "changes",
                            models.JSONField(blank=True, default=list, verbose_name="changements"),
                        ),
                        (
                            "feed",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="runs",
                                to="sync.feed",
                                verbose_name="flux",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "synchronisation",
                        "verbose_name_plural": "synchronisations",
                        "db_table": "catalogue_syncrun",
                        "ordering": ["-started_at", "-pk"],
                    },
                ),
                migrations.CreateModel(
                    name="CategoryMapping",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "source",
                            models.CharField(
                                choices=[("appstream", "AppStream"), ("itunes", "iTunes (genre)")],
                                max_length=10,
                                verbose_name="vocabulaire",
                            ),
                        ),
                        (
                            "term",
                            models.CharField(
                                help_text="Tel qu'écrit dans le flux, par exemple « Education » ou « Business ».",
                                max_length=100,
                                verbose_name="catégorie externe",
                            ),
                        ),
                        (
                            "category",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="catalogue.category",
                                verbose_name="catégorie du catalogue",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "correspondance de catégorie",
                        "verbose_name_plural": "correspondances de catégories",
                        "db_table": "catalogue_categorymapping",
                        "ordering": ["source", "term"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("source", "term"), name="category_mapping_once_per_term"
                            )
                        ],
                    },
                ),
                migrations.AddConstraint(
                    model_name="feed",
                    constraint=models.UniqueConstraint(
                        fields=("publisher", "url"), name="feed_url_once_per_publisher"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="feeditem",
                    constraint=models.UniqueConstraint(
                        fields=("feed", "external_id"), name="feed_item_once_per_feed"
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
