"""English names of the reference universes and sub-categories, where none was given."""

from django.db import migrations

from catalogue.universes import fill_english_category_names


def forwards(apps, schema_editor):
    fill_english_category_names(apps.get_model("catalogue", "Category"))


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0004_category_name_en")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
