"""The publisher sync in the Wagtail admin (views in catalogue/sync/admin_views.py) and its
parts of the dashboard (catalogue/sync/dashboard.py): each publisher's feeds, the editors'
queue of failed syncs and chart of sync health.
"""

from django.contrib.auth.models import Permission
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from catalogue.models import Publisher
from catalogue.sync import admin_views, dashboard
from catalogue.sync.models import Feed
from web.dashboard import EDITOR_CHARTS_HOOK, EDITOR_QUEUES_HOOK, PUBLISHER_SECTIONS_HOOK

# Before anything asks the registry for Feed's policy (it would get a fallback one).
register_permission_policy(Feed, admin_views.FeedPermissionPolicy(Feed))


@hooks.register("register_admin_viewset")
def register_sync_viewsets():
    return admin_views.SyncViewSetGroup()


@hooks.register("register_snippet_listing_buttons")
def publisher_feeds_button(snippet, user, next_url=None):
    if isinstance(snippet, Publisher):
        return admin_views.publisher_feeds_button(snippet, user)
    return []


@hooks.register("register_permissions")
def sync_run_permissions():
    # Feed's and CategoryMapping's come with their viewsets; reading runs is granted apart.
    return Permission.objects.filter(content_type__app_label="sync", codename="view_syncrun")


hooks.register(PUBLISHER_SECTIONS_HOOK, dashboard.FeedsSection, order=20)
hooks.register(EDITOR_QUEUES_HOOK, dashboard.failed_runs_queue, order=40)
hooks.register(EDITOR_QUEUES_HOOK, dashboard.held_runs_queue, order=45)
hooks.register(EDITOR_CHARTS_HOOK, dashboard.sync_health_chart, order=30)
