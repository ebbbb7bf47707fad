"""Public URLs of the publisher sync (included at the site root by store/urls.py)."""

from django.urls import path

from catalogue.sync import views

app_name = "feeds"

urlpatterns = [
    # Stable: the schema's "$id" and publishers' feeds ("$schema") point here.
    path("flux/schema/v1.json", views.feed_schema, name="schema-v1"),
    path("flux/exemple.json", views.example_feed, name="example"),
]
