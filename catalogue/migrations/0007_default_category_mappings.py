"""Starting category mappings for AppStream categories and Apple genres; editors extend them."""

from django.db import migrations

MAPPINGS = {
    "appstream": {
        "Education": "apprendre-en-ligne",
        "Languages": "apprendre-une-langue",
        "Office": "gestion-et-administratif",
        "WordProcessor": "cv-et-lettre",
        "Finance": "gestion-et-administratif",
        "ProjectManagement": "construire-son-projet",
        "Maps": "mobilite-et-logement",
        "Network": "reseau-professionnel",
        "InstantMessaging": "reseau-professionnel",
        "Email": "reseau-professionnel",
        "Chat": "reseau-professionnel",
        "Science": "apprendre-en-ligne",
        "Development": "langues-et-numerique",
        "Calculator": "gestion-et-administratif",
    },
    "itunes": {
        "Education": "apprendre-en-ligne",
        "Business": "gestion-et-administratif",
        "Productivity": "gestion-et-administratif",
        "Finance": "financement-et-aides",
        "Reference": "decouvrir-les-metiers",
        "Navigation": "mobilite-et-logement",
        "Travel": "travailler-a-l-etranger",
        "Social Networking": "reseau-professionnel",
        "Utilities": "gestion-et-administratif",
        # The French storefront names its genres in French.
        "Éducation": "apprendre-en-ligne",
        "Économie et entreprise": "gestion-et-administratif",
        "Productivité": "gestion-et-administratif",
        "Réseaux sociaux": "reseau-professionnel",
        "Voyages": "travailler-a-l-etranger",
        "Utilitaires": "gestion-et-administratif",
        "Références": "decouvrir-les-metiers",
    },
}


def add_mappings(apps, schema_editor):
    Category = apps.get_model("catalogue", "Category")
    CategoryMapping = apps.get_model("catalogue", "CategoryMapping")
    categories = {c.slug: c for c in Category.objects.all()}
    for source, terms in MAPPINGS.items():
        for term, slug in terms.items():
            if slug in categories:
                CategoryMapping.objects.get_or_create(
                    source=source, term=term, defaults={"category": categories[slug]}
                )


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0006_publisher_feeds")]

    operations = [migrations.RunPython(add_mappings, migrations.RunPython.noop)]
