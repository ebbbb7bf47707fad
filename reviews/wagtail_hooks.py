"""Reviews in the Wagtail admin: the moderation queue and publishers' replies.

The views live in reviews/admin_views.py; this module only registers them.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem
from wagtail.permissions import register_permission_policy

from reviews import admin_views
from reviews.models import Review

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


# The dashboard's counts of reviews to moderate and to answer are in cms/dashboard.py (the
# editors' queues and each publisher's space).
