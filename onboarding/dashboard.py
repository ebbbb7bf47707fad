"""Onboarding's parts of the admin dashboard (registered in onboarding/wagtail_hooks.py): the
editors' queue of publisher applications, and each publisher's "team" section in the
publisher space."""

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import ngettext

from catalogue.permissions import is_editor
from onboarding.models import Application, PublisherRole, Role
from web.dashboard import PublisherSection, Queue


def applications_queue(request) -> list[Queue]:
    if not is_editor(request.user):
        return []
    count = Application.objects.pending().count()
    return [
        Queue(
            name="publisher-applications",
            text=ngettext(
                "%(count)d demande d'éditeur en attente",
                "%(count)d demandes d'éditeur en attente",
                count,
            )
            % {"count": count},
            url=reverse("onboarding_admin:queue"),
            count=count,
        )
    ]


class TeamSection(PublisherSection):
    """Links to the guided form of a new app and, for its administrators, to the team. Whether
    the user administers each publisher rides on the space's one publishers query."""

    template_name = "onboarding/admin/publisher_team.html"

    def publisher_annotations(self) -> dict:
        return {
            "onboarding_is_admin": Exists(
                PublisherRole.objects.filter(
                    publisher=OuterRef("pk"), user=self.request.user.pk, role=Role.ADMIN
                )
            )
        }

    def context(self, publisher) -> dict:
        return {
            "new_app_url": reverse("publisher_new_app", args=[publisher.pk]),
            "team_url": (
                reverse("publisher_team", args=[publisher.pk])
                if getattr(publisher, "onboarding_is_admin", False)
                else ""
            ),
        }
