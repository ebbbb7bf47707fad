"""Onboarding in the Wagtail admin: the editors' queue of publisher applications (views in
onboarding/admin_views.py), its menu item and dashboard queue, and each publisher's team
link in the publisher space (onboarding/dashboard.py)."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from catalogue.permissions import is_editor
from onboarding import admin_views, dashboard
from web.dashboard import EDITOR_QUEUES_HOOK, PUBLISHER_SECTIONS_HOOK


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path(
            "demandes-editeurs/",
            include(
                (admin_views.urlpatterns, admin_views.NAMESPACE), namespace=admin_views.NAMESPACE
            ),
        )
    ]


class EditorsMenuItem(MenuItem):
    def is_shown(self, request):
        return is_editor(request.user)


@hooks.register("register_admin_menu_item")
def register_applications_menu_item():
    return EditorsMenuItem(
        _("Demandes d'éditeurs"),
        reverse("onboarding_admin:queue"),
        icon_name="group",
        order=230,
    )


hooks.register(EDITOR_QUEUES_HOOK, dashboard.applications_queue, order=15)
hooks.register(PUBLISHER_SECTIONS_HOOK, dashboard.TeamSection, order=40)
