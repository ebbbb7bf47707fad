"""The selections' parts of the editors' dashboard (registered in selections/wagtail_hooks.py):

- the queue of people who asked for the mediator role;
- which apps mediators recommend most (in the selections they shared);
- which ready-made paths mediators copy.

Counts only: no mediator, person or note is shown.
"""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext, ngettext

from selections.models import Mediator, Selection, SelectionItem
from web.charts import Chart, build_chart, listing
from web.dashboard import Queue

TOP_APPS = 10


def mediator_requests_queue(request) -> list[Queue]:
    if not request.user.has_perm("selections.change_mediator"):
        return []
    count = Mediator.objects.filter(status=Mediator.Status.REQUESTED).count()
    url = reverse(Mediator.snippet_viewset.get_url_name("list"))
    return [
        Queue(
            name="mediator-requests",
            text=ngettext(
                "%(count)d demande de rôle de médiateur",
                "%(count)d demandes de rôle de médiateur",
                count,
            )
            % {"count": count},
            url=f"{url}?{urlencode({'status': Mediator.Status.REQUESTED})}",
            count=count,
        )
    ]


def times(count: int) -> str:
    return ngettext("%(count)d sélection", "%(count)d sélections", count) % {"count": count}


def recommended_apps_chart(request) -> Chart:
    """The apps found in the most selections that mediators shared (ten at most)."""
    rows = [
        (title, [count])
        for title, count in SelectionItem.objects.filter(
            selection__kind=Selection.Kind.SELECTION, selection__shared_at__isnull=False
        )
        .values("app__title")
        .annotate(count=Count("selection", distinct=True))
        .order_by("-count", "app__title")
        .values_list("app__title", "count")[:TOP_APPS]
    ]
    return build_chart(
        "chart-mediators-recommend",
        gettext("Applications les plus recommandées par les médiateurs"),
        rows,
        label_header=gettext("Application"),
        columns=[gettext("Sélections partagées")],
        describe=lambda rows: (
            listing(rows, times) if rows else gettext("Aucune sélection partagée pour l'instant.")
        ),
    )


def copied_paths_chart(request) -> Chart:
    """Each ready-made path and how many times mediators copied it."""
    rows = [
        (title, [count])
        for title, count in Selection.objects.paths()
        .annotate(count=Count("copies", filter=Q(copies__kind=Selection.Kind.SELECTION)))
        .order_by("-count", "title")
        .values_list("title", "count")
    ]

    def copies(count):
        return ngettext("%(count)d copie", "%(count)d copies", count) % {"count": count}

    return build_chart(
        "chart-paths-copied",
        gettext("Parcours tout prêts copiés par les médiateurs"),
        rows,
        label_header=gettext("Parcours"),
        columns=[gettext("Copies")],
        describe=lambda rows: (
            listing(rows, copies) if rows else gettext("Aucun parcours tout prêt pour l'instant.")
        ),
    )
