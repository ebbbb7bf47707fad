"""The editors' queue of publisher applications in the Wagtail admin.

- ``/admin/demandes-editeurs/``: the applications, filtered by state (waiting first by
  default), kind and a text; each row says when it looks like something already there.
- ``/admin/demandes-editeurs/<id>/``: one application with its evidence (SIREN / SIRET check,
  e-mail on the site's domain) and its possible duplicates (same SIREN, similar name, same
  domain); approve, or refuse with a reason the applicant reads; then, separately, verify
  the publisher.

Editors and superusers only (catalogue.permissions.is_editor): anyone else gets a 403 and
nothing changes. Text from applicants is printed escaped.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from catalogue.permissions import is_editor
from onboarding import services
from onboarding.forms import RefuseForm
from onboarding.models import Application, Verification

NAMESPACE = "onboarding_admin"
PAGE_SIZE = 50
MAX_ID = 2**63 - 1


class EditorsOnly:
    def dispatch(self, request, *args, **kwargs):
        if not is_editor(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def editor_required(view):
    def wrapper(request, *args, **kwargs):
        if not is_editor(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


class QueueView(EditorsOnly, WagtailAdminTemplateMixin, TemplateView):
    template_name = "onboarding/admin/queue.html"
    page_title = _("Demandes d'éditeurs")
    header_icon = "group"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET
        status = params.get("status", Application.Status.PENDING)
        kind = params.get("kind", "")
        text = params.get("q", "").strip()[:100]
        applications = Application.objects.select_related("applicant", "publisher")
        if status in Application.Status.values:
            applications = applications.filter(status=status)
        if kind in Application.Kind.values:
            applications = applications.filter(kind=kind)
        if text:
            applications = applications.filter(
                Q(name__icontains=text)
                | Q(publisher__name__icontains=text)
                | Q(siren__startswith=text)
                | Q(applicant__email__icontains=text)
                | Q(applicant__username__icontains=text)
            )
        applications = list(applications.order_by("created_at", "pk")[:PAGE_SIZE])
        # Duplicate warnings on the waiting "create" applications (the ones to decide).
        found = services.duplicates_of([a for a in applications if a.is_pending])
        for application in applications:
            application.duplicate_list = found.get(application.pk, [])
        context.update(
            applications=applications,
            status=status,
            kind=kind,
            text=text,
            statuses=[("", gettext("Toutes")), *Application.Status.choices],
            kinds=[("", gettext("Toutes")), *Application.Kind.choices],
        )
        return context


class DetailView(EditorsOnly, WagtailAdminTemplateMixin, TemplateView):
    template_name = "onboarding/admin/detail.html"
    header_icon = "group"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        pk = kwargs["pk"]
        self.application = get_object_or_404(
            Application.objects.select_related("applicant", "publisher", "decided_by"),
            pk=pk if pk <= MAX_ID else 0,
        )

    def get_page_title(self):
        return str(self.application)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(f"{NAMESPACE}:queue"), "label": gettext("Demandes d'éditeurs")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, refuse_form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        application = self.application
        publisher = application.publisher
        context.update(
            application=application,
            duplicates=services.duplicates(application),
            refuse_form=refuse_form or RefuseForm(),
            verification=(
                Verification.objects.filter(publisher=publisher).first() if publisher else None
            ),
            publisher=publisher,
        )
        return context

    def post(self, request, *args, **kwargs):
        """Refuse with a reason (its form shown again when the reason is missing)."""
        form = RefuseForm(request.POST)
        if not form.is_valid():
            context = self.get_context_data(refuse_form=form)
            return self.render_to_response(context, status=400)
        try:
            services.refuse(self.application, request.user, form.cleaned_data["reason"])
        except services.OnboardingError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, gettext("Demande refusée ; le demandeur est prévenu."))
        return redirect(f"{NAMESPACE}:detail", pk=self.application.pk)


@editor_required
@require_POST
def approve(request, pk: int):
    application = get_object_or_404(Application, pk=pk if pk <= MAX_ID else 0)
    try:
        services.approve(application, request.user)
    except services.OnboardingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, gettext("Demande acceptée ; le demandeur est prévenu."))
    return redirect(f"{NAMESPACE}:detail", pk=application.pk)


@editor_required
@require_POST
def verify(request, pk: int):
    """Verify the publisher of an approved application (a separate decision)."""
    application = get_object_or_404(
        Application.objects.select_related("publisher"),
        pk=pk if pk <= MAX_ID else 0,
        status=Application.Status.APPROVED,
        publisher__isnull=False,
    )
    if request.POST.get("verified") == "0":
        services.unverify(application.publisher)
        messages.success(request, gettext("L'éditeur n'est plus marqué vérifié."))
    else:
        services.verify(
            application.publisher, request.user, note=request.POST.get("note", "")[:2000]
        )
        messages.success(request, gettext("Éditeur marqué vérifié."))
    return redirect(f"{NAMESPACE}:detail", pk=application.pk)


urlpatterns = [
    path("", QueueView.as_view(), name="queue"),
    path("<int:pk>/", DetailView.as_view(), name="detail"),
    path("<int:pk>/accepter/", approve, name="approve"),
    path("<int:pk>/verifier/", verify, name="verify"),
]
