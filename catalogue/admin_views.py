"""Editors' bulk moderation of apps in the Wagtail admin: "approve these N apps".

/admin/catalogue/validation/ lists the apps whose latest revision waits in the editorial
workflow (a feed's first import brings hundreds), optionally for one publisher; an editor ticks
some, or takes them all, and approves them at once — each through the workflow's own
"Approve" (catalogue.services.approve_apps), so each is published with its log entries.
Editors only: anyone else gets a 403 and nothing changes.
"""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from catalogue.models import Publisher
from catalogue.permissions import is_editor
from catalogue.services import approve_apps, apps_awaiting_approval

PER_PAGE = 100
MAX_AT_ONCE = 2000  # one request approves this many at most


def awaiting(request):
    apps = apps_awaiting_approval().select_related("publisher").order_by("publisher__name", "pk")
    publisher = request.GET.get("publisher") or request.POST.get("publisher") or ""
    if publisher:
        apps = apps.filter(publisher__slug=publisher)
    return apps, publisher


class ApprovalView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "catalogue/admin/approval.html"
    page_title = _("Applications à valider")
    header_icon = "tasks"

    def dispatch(self, request, *args, **kwargs):
        if not is_editor(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        apps, publisher = awaiting(self.request)
        page = Paginator(apps, PER_PAGE).get_page(self.request.GET.get("page"))
        context.update(
            page_obj=page,
            apps=page.object_list,
            total=page.paginator.count,
            publisher=publisher,
            publishers=Publisher.objects.filter(apps__in=apps_awaiting_approval())
            .distinct()
            .order_by("name"),
            action_url=reverse("catalogue_approval"),
        )
        return context

    def post(self, request, *args, **kwargs):
        apps, publisher = awaiting(request)
        if request.POST.get("all") == "1":
            ids = list(apps.values_list("pk", flat=True)[:MAX_AT_ONCE])
        else:
            wanted = [value for value in request.POST.getlist("app") if value.isdigit()]
            ids = list(apps.filter(pk__in=wanted).values_list("pk", flat=True))
        if not ids:
            messages.warning(request, gettext("Aucune application choisie."))
        else:
            count = approve_apps(ids, request.user)
            messages.success(
                request,
                ngettext(
                    "%(count)d application approuvée et publiée.",
                    "%(count)d applications approuvées et publiées.",
                    count,
                )
                % {"count": count},
            )
        url = reverse("catalogue_approval")
        return redirect(f"{url}?publisher={publisher}" if publisher else url)
