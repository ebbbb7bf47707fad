"""Reviews in the Wagtail admin (the moderation queue, publishers' replies) and in the pages
and dashboard composed by hook: the app page's reviews section, the publisher space's reviews
awaiting a reply, the editors' queues and chart.

The views live in reviews/admin_views.py, reviews/views.py and reviews/dashboard.py; this
module only registers them.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem
from wagtail.permissions import register_permission_policy

from catalogue.models import APP_PAGE_CONTEXT_HOOK
from reviews import admin_views, dashboard
from reviews.models import Review
from reviews.views import add_reviews_section
from web.dashboard import EDITOR_CHARTS_HOOK, EDITOR_QUEUES_HOOK, PUBLISHER_SECTIONS_HOOK

# Before anything asks the registry for Review's policy (it would get a fallback one).
register_permission_policy(Review, admin_views.ReviewPermissionPolicy(Review))


@hooks.register("register_admin_viewset")
def register_viewsets():
    return [admin_views.ModerationViewSet(), admin_views.PublisherReviewsViewSet()]


@hooks.register("register_admin_menu_item")
def register_reviews_menu():
    # One "Avis" entry: editors see "Modération", publisher members their apps' reviews.
    return SubmenuMenuItem(
        _("Avis"),
        Menu(items=admin_views.menu_items()),
        name="reviews",
        icon_name="comment",
        order=210,
    )


for action_class in admin_views.MODERATION_ACTIONS:
    hooks.register("register_bulk_action", action_class)

hooks.register(APP_PAGE_CONTEXT_HOOK, add_reviews_section)
hooks.register(PUBLISHER_SECTIONS_HOOK, dashboard.ReviewsSection, order=30)
hooks.register(EDITOR_QUEUES_HOOK, dashboard.moderation_queues, order=20)
hooks.register(EDITOR_CHARTS_HOOK, dashboard.reviews_per_week_chart, order=20)
