"""The publisher sync's models now belong to the sync app (catalogue.sync): state only.

Their tables keep their names (``catalogue_feed``…): nothing is written to the database here.
sync's 0001_initial creates the same models in its state, and moves their content types (so
permissions and their grants follow).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0008_app_problem_reports"),
        ("sync", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name="feed",
                    name="publisher",
                ),
                migrations.RemoveField(
                    model_name="feeditem",
                    name="feed",
                ),
                migrations.RemoveField(
                    model_name="syncrun",
                    name="feed",
                ),
                migrations.RemoveField(
                    model_name="feeditem",
                    name="app",
                ),
                migrations.DeleteModel(
                    name="CategoryMapping",
                ),
                migrations.DeleteModel(
                    name="Feed",
                ),
                migrations.DeleteModel(
                    name="SyncRun",
                ),
                migrations.DeleteModel(
                    name="FeedItem",
                ),
            ],
            database_operations=[],
        )
    ]
