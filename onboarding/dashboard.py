"""Onboarding's parts of the admin dashboard (registered in onboarding/wagtail_hooks.py): the
editors' queue of publisher applications, and each publisher's "team" section in the
publisher space."""

from django.urls import reverse
from django.utils.translation import ngettext

from catalogue.permissions import is_editor
from onboarding.models import Application
from onboarding.permissions import can_manage_team
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
    """Links to the publisher's team and to the guided form of a new app."""

    template_name = "onboarding/admin/publisher_team.html"

    def context(self, publisher) -> dict:
        return {
            "new_app_url": reverse("publisher_new_app", args=[publisher.pk]),
            "team_url": (
                reverse("publisher_team", args=[publisher.pk])
                if can_manage_team(self.request.user, publisher.pk)
                else ""
            ),
        }
