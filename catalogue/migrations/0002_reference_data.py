"""The six universes with their sub-categories, the audiences and the languages."""

from django.db import migrations

from catalogue.universes import load_reference_data


def forwards(apps, schema_editor):
    load_reference_data(
        apps.get_model("catalogue", "Category"),
        apps.get_model("catalogue", "Audience"),
        apps.get_model("catalogue", "Language"),
    )


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
