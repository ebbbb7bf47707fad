"""The reviews side of the Wagtail admin.

- Editors: the moderation queue (filters, search, detail), with bulk and single decisions.
- Publisher members: the published reviews of their apps, answered from the admin.
- The menu entries of both (the dashboard's parts are in reviews/dashboard.py).

Every write goes through ``reviews.services``: it keeps the aggregates, resolves the reports and
reindexes the app. Review text is user input: templates print it escaped, never ``|safe``.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_list_or_404, get_object_or_404, redirect
from django.urls import path, reverse, reverse_lazy
from django.utils.functional import cached_property
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.menu import MenuItem as AdminMenuItem
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import (
    BulkActionsCheckboxColumn,
    Column,
    DateColumn,
    StatusTagColumn,
    TitleColumn,
)
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views import generic
from wagtail.admin.views.bulk_action import BulkAction
from wagtail.admin.views.generic.base import BaseListingView, WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import BooleanRadioSelect
from wagtail.permission_policies import ModelPermissionPolicy

from catalogue.models import AppPage, Publisher
from catalogue.permissions import publishers_of
from reviews import services
from reviews.admin_forms import ApproveForm, ReasonForm, ReplyForm
from reviews.models import Review, ReviewReply, ReviewReport
from reviews.models import author_name as reviews_author_name

Status = Review.Status
ALL = "all"
EXCERPT_LENGTH = 90
MODERATION_SEARCH_FIELDS = [
    "title",
    "body",
    "author__username",
    "author__first_name",
    "author__last_name",
    "author__email",
]


# --- Who may do what -----------------------------------------------------------------------


class ReviewPermissionPolicy(ModelPermissionPolicy):
    """Moderators see reviews and decide on them; nobody edits or deletes one by hand.

    Decisions go through ``services.moderate`` (aggregates, reports, reindexing), so the admin
    never offers Wagtail's generic add / edit / delete views, not even to superusers.
    """

    READ = frozenset({"view", "moderate"})

    def user_has_permission(self, user, action):
        return action in self.READ and services.is_moderator(user)

    def users_with_any_permission(self, actions):
        if self.READ.isdisjoint(actions):
            return get_user_model().objects.none()
        return super().users_with_any_permission(["moderate"])


def require_moderator(request):
    if not services.is_moderator(request.user):
        raise PermissionDenied


def listing_url(request, index_url: str) -> str:
    """The listing with the filters and search of this request (also from its AJAX results)."""
    query = request.GET.copy()
    query.pop("_w_filter_fragment", None)
    return f"{index_url}?{query.urlencode()}" if query else index_url


# --- Filters -------------------------------------------------------------------------------


class DefaultsFilterSet(WagtailFilterSet):
    """A filter set whose filters may start on a value other than "all" (see ``defaults``).

    The default is applied when the request does not mention the filter, and each such filter
    declares it as ``initial`` too, so Wagtail does not count it as an active filter.
    """

    defaults: dict[str, str] = {}

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        if data is not None and any(name not in data for name in self.defaults):
            data = data.copy()
            for name, value in self.defaults.items():
                data.setdefault(name, value)
        super().__init__(data, queryset, request=request, prefix=prefix)


def rating_filter():
    return django_filters.MultipleChoiceFilter(
        field_name="rating",
        label=_("Note"),
        choices=[(star, f"{star}/5") for star in range(5, 0, -1)],
        widget=forms.CheckboxSelectMultiple,
    )


class ModerationFilterSet(DefaultsFilterSet):
    defaults = {"status": Status.PENDING}

    status = django_filters.ChoiceFilter(
        label=_("Statut"),
        choices=[*Status.choices, (ALL, _("Tous"))],
        empty_label=None,
        initial=Status.PENDING,
        widget=forms.RadioSelect,
        method="filter_status",
    )
    held_because = django_filters.ChoiceFilter(
        label=_("Motif de mise en attente"),
        choices=Review.HeldBecause.choices,
        empty_label=_("Tous"),
        widget=forms.RadioSelect,
        method="filter_held_because",
    )
    rating = rating_filter()
    reported = django_filters.BooleanFilter(
        label=_("Signalé"), widget=BooleanRadioSelect, method="filter_reported"
    )
    publisher = django_filters.ModelChoiceFilter(
        field_name="app__publisher",
        label=_("Éditeur"),
        queryset=Publisher.objects.order_by("name"),
    )
    app = django_filters.ModelChoiceFilter(
        label=_("Application"), queryset=AppPage.objects.order_by("title", "pk")
    )
    created_at = django_filters.DateFromToRangeFilter(
        label=_("Date de l'avis"), widget=DateRangePickerWidget
    )

    class Meta:
        model = Review
        fields = []

    def filter_status(self, queryset, name, value):
        return queryset if value == ALL else queryset.filter(status=value)

    def filter_held_because(self, queryset, name, value):
        return queryset.filter(held_because__contains=[value])

    def filter_reported(self, queryset, name, value):
        return queryset.filter(report_count__gt=0) if value else queryset.filter(report_count=0)


def search(queryset, query: str, fields):
    if not query:
        return queryset
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__icontains": query})
    return queryset.filter(condition)


# --- Moderation queue ----------------------------------------------------------------------


def excerpt(review: Review) -> str:
    text = " — ".join(part for part in (review.title, review.body) if part)
    return Truncator(" ".join(text.split())).chars(EXCERPT_LENGTH)


def author_name(review: Review) -> str:
    if review.author is None:
        return reviews_author_name(None)
    return review.author.get_full_name().strip() or review.author.get_username()


def reports_summary(review: Review) -> str:
    """ "2 · Spam ou publicité ×2": the open reports and their reasons."""
    reports = getattr(review, "open_reports", [])
    if not reports:
        return ""
    labels = {}
    for report in reports:
        label = report.get_reason_display()
        labels[label] = labels.get(label, 0) + 1
    reasons = ", ".join(f"{label} ×{n}" if n > 1 else label for label, n in labels.items())
    return f"{len(reports)} · {reasons}"


class ModerationIndexView(generic.IndexView):
    page_title = _("Modération des avis")
    template_name = "reviews/admin/moderation_index.html"

    def get_base_queryset(self):
        return Review.objects.select_related("app", "author").prefetch_related(
            Prefetch(
                "reports",
                queryset=ReviewReport.objects.filter(resolved_at=None).order_by("pk"),
                to_attr="open_reports",
            )
        )

    @cached_property
    def columns(self):
        title_column = self._get_title_column_class(TitleColumn)
        return [
            BulkActionsCheckboxColumn("bulk_actions", obj_type="review"),
            title_column(
                "excerpt",
                label=_("Avis"),
                accessor=excerpt,
                get_url=self.get_inspect_url,
                get_title_id=lambda review: f"review_{review.pk}_title",
            ),
            Column("app", label=_("Application"), accessor="app.title", sort_key="app__title"),
            Column("author", label=_("Auteur"), accessor=author_name),
            Column(
                "rating", label=_("Note"), accessor=lambda r: f"{r.rating}/5", sort_key="rating"
            ),
            StatusTagColumn(
                "status",
                label=_("Statut"),
                accessor="get_status_display",
                primary=lambda review: review.status == Status.PENDING,
            ),
            Column(
                "held_because",
                label=_("Mis en attente car"),
                accessor=lambda review: ", ".join(review.held_because_labels),
            ),
            Column(
                "report_count",
                label=_("Signalements"),
                accessor=reports_summary,
                sort_key="report_count",
            ),
            DateColumn("created_at", label=_("Date"), sort_key="created_at"),
        ]

    def get_list_more_buttons(self, instance):
        next_url = listing_url(self.request, self.index_url)
        buttons = [
            MenuItem(
                _("Voir l'avis"),
                url=self.get_inspect_url(instance),
                icon_name="view",
                priority=10,
            )
        ]
        for action in MODERATION_ACTIONS:
            if instance.status in action.applies_to:
                buttons.append(
                    MenuItem(
                        action.display_name,
                        url=action.url_for([instance.pk], next_url),
                        icon_name=action.icon,
                        priority=action.action_priority + 10,
                    )
                )
        return buttons


class ModerationInspectView(generic.InspectView):
    """One review in full, its open and past reports, the publisher's reply and the decisions."""

    template_name = "reviews/admin/moderation_inspect.html"
    page_title = _("Avis")

    def setup(self, request, *args, **kwargs):
        # Wagtail loads the object in setup(): refuse first, so outsiders learn nothing (not
        # even whether the review exists).
        require_moderator(request)
        super().setup(request, *args, **kwargs)

    def get_object(self, queryset=None):
        return get_object_or_404(
            Review.objects.select_related("app", "app__publisher", "author", "moderated_by"),
            pk=self.pk,
        )

    def get_fields(self):
        return []  # the template lays the review out itself

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        review = self.object
        here = self.request.get_full_path()
        context.update(
            review=review,
            reports=review.reports.select_related("reporter").order_by("resolved_at", "-pk"),
            reply=ReviewReply.objects.filter(review=review)
            .select_related("author", "publisher")
            .first(),
            actions=[
                {
                    "action": action,
                    "url": action.url_for([review.pk], here),
                    "form": action.form_class(auto_id=f"id_{action.action_type}_%s"),
                }
                for action in MODERATION_ACTIONS
                if review.status in action.applies_to
            ],
            app_edit_url=reverse("wagtailadmin_pages:edit", args=[review.app_id]),
        )
        return context


class ReviewURLFinder(ModelAdminURLFinder):
    """Wagtail's links to a review (logs, references) open its moderation page."""

    edit_url_name = "reviews_moderation:inspect"

    def get_edit_url(self, instance):
        if self.user and not services.is_moderator(self.user):
            return None
        return self.construct_edit_url(instance)


class ModerationViewSet(ModelViewSet):
    model = Review
    name = "reviews_moderation"
    url_prefix = "avis/moderation"
    url_namespace = "reviews_moderation"
    icon = "comment"
    index_view_class = ModerationIndexView
    inspect_view_class = ModerationInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    # Reviews reference nothing an editor would look up; keep their saves free of index writes.
    add_to_reference_index = False
    filterset_class = ModerationFilterSet
    search_fields = MODERATION_SEARCH_FIELDS
    search_backend_name = None
    ordering = "-created_at"
    list_per_page = 50
    url_finder_class = ReviewURLFinder

    def get_urlpatterns(self):
        # Only reading views: decisions are bulk actions, and nothing is edited by hand.
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("<int:pk>/", self.inspect_view, name="inspect"),
        ]

    def get_permissions_to_register(self):
        # The one permission the group editor needs to offer: the policy ignores the others.
        return super().get_permissions_to_register().filter(codename="moderate_review")


# --- Decisions: bulk actions (one review is a bulk of one) ----------------------------------


class ModerationBulkAction(BulkAction):
    """Approve, reject or remove the selected reviews through ``services.moderate``."""

    models = [Review]
    template_name = "reviews/admin/bulk_moderate.html"
    form_class = ReasonForm
    decision = ""
    applies_to: tuple[str, ...] = ()
    icon = ""
    button_label = ""
    do_not_call_in_templates = True  # the class is handed to templates (inspect view)

    @classmethod
    def url_for(cls, review_ids, next_url: str = "") -> str:
        query = [("id", pk) for pk in review_ids]
        if next_url:
            query.append(("next", next_url))
        url = reverse("wagtail_bulk_action", args=["reviews", "review", cls.action_type])
        return f"{url}?{urlencode(query)}"

    def __init__(self, request, model):
        super().__init__(request, model)
        if not get_valid_next_url_from_request(request):
            # Wagtail falls back on the action's own URL: back to the queue is more useful.
            self.next_url = reverse("reviews_moderation:index")

    def dispatch(self, request, *args, **kwargs):
        require_moderator(request)
        return super().dispatch(request, *args, **kwargs)

    @classmethod
    def get_queryset(cls, model, object_ids):
        if not isinstance(object_ids, QuerySet):
            # Ids come from the query string: ignore what is not one rather than fail.
            object_ids = [pk for pk in object_ids if str(pk).isdigit()]
        reviews = Review.objects.select_related("app", "author").order_by("pk")
        return get_list_or_404(reviews, pk__in=object_ids)

    def get_all_objects_in_listing_query(self, parent_id):
        """ "Select all in listing": the queue's filters and search, taken from the query."""
        filters = ModerationFilterSet(
            self.request.GET, queryset=Review.objects.all(), request=self.request
        )
        if not filters.is_valid():
            return Review.objects.none().values_list("pk", flat=True)
        queryset = search(filters.qs, self.request.GET.get("q", ""), MODERATION_SEARCH_FIELDS)
        return queryset.values_list("pk", flat=True)

    def check_perm(self, review):
        # Reviews this decision does not apply to are listed apart and left alone.
        return review.status in self.applies_to

    texts: "ModerationDecision"

    def get_question(self, count: int) -> str:
        return self.texts.question % {"count": count}

    def get_success_message(self, num_parent_objects, num_child_objects):
        return self.texts.done % {"count": num_parent_objects}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(action=self, question=self.get_question(len(context["items"])))
        return context

    def get_execution_context(self):
        return {
            "editor": self.request.user,
            "reason": self.cleaned_form.cleaned_data.get("reason", ""),
            "decision": self.decision,
        }

    @classmethod
    def execute_action(cls, objects, *, editor, decision, reason="", **kwargs):
        changed = services.moderate(
            [review.pk for review in objects], decision=decision, editor=editor, reason=reason
        )
        return changed, 0


@dataclass(frozen=True)
class ModerationDecision:
    """What tells the three moderation actions apart: data, not code."""

    action_type: str
    decision: str
    applies_to: tuple[str, ...]
    display_name: str
    aria_label: str
    button_label: str
    icon: str
    priority: int
    serious: bool
    question: str  # ngettext_lazy on "count": formatted with {"count": n}
    done: str


DECISIONS = (
    ModerationDecision(
        action_type="approve",
        decision=services.Decision.APPROVE,
        applies_to=(Status.PENDING, Status.REJECTED, Status.REMOVED),
        display_name=_("Publier"),
        aria_label=_("Publier les avis sélectionnés"),
        button_label=_("Oui, publier"),
        icon="check",
        priority=10,
        serious=False,
        question=ngettext_lazy("Publier cet avis ?", "Publier ces %(count)d avis ?", "count"),
        done=ngettext_lazy("%(count)d avis publié.", "%(count)d avis publiés.", "count"),
    ),
    ModerationDecision(
        action_type="reject",
        decision=services.Decision.REJECT,
        applies_to=(Status.PENDING,),
        display_name=_("Refuser"),
        aria_label=_("Refuser les avis sélectionnés"),
        button_label=_("Refuser"),
        icon="cross",
        priority=20,
        serious=True,
        question=ngettext_lazy("Refuser cet avis ?", "Refuser ces %(count)d avis ?", "count"),
        done=ngettext_lazy("%(count)d avis refusé.", "%(count)d avis refusés.", "count"),
    ),
    ModerationDecision(
        action_type="remove",
        decision=services.Decision.REMOVE,
        applies_to=(Status.PUBLISHED,),
        display_name=_("Retirer"),
        aria_label=_("Retirer les avis sélectionnés"),
        button_label=_("Retirer"),
        icon="bin",
        priority=30,
        serious=True,
        question=ngettext_lazy("Retirer cet avis ?", "Retirer ces %(count)d avis ?", "count"),
        done=ngettext_lazy("%(count)d avis retiré.", "%(count)d avis retirés.", "count"),
    ),
)


def bulk_action(decision: ModerationDecision) -> type[ModerationBulkAction]:
    """The Wagtail bulk action of one decision (Wagtail registers action classes)."""
    return type(
        f"{decision.action_type.capitalize()}BulkAction",
        (ModerationBulkAction,),
        {
            "__module__": __name__,
            "display_name": decision.display_name,
            "action_type": decision.action_type,
            "aria_label": decision.aria_label,
            "action_priority": decision.priority,
            "form_class": ApproveForm if decision.action_type == "approve" else ReasonForm,
            "decision": decision.decision,
            "applies_to": decision.applies_to,
            "icon": decision.icon,
            "button_label": decision.button_label,
            "classes": {"serious"} if decision.serious else set(),
            "texts": decision,
        },
    )


MODERATION_ACTIONS = tuple(bulk_action(decision) for decision in DECISIONS)


# --- Publisher members: the reviews of their apps, and their replies -----------------------


def member_reviews(request):
    """Published reviews of the apps of the user's publishers (nothing for anyone else)."""
    return Review.objects.published().filter(app__publisher_id__in=publishers_of(request.user))


class PublisherMemberRequiredMixin:
    def dispatch(self, request, *args, **kwargs):
        if not publishers_of(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ReplyFilterSet(DefaultsFilterSet):
    AWAITING = "awaiting"
    ANSWERED = "answered"
    defaults = {"reply": AWAITING}

    reply = django_filters.ChoiceFilter(
        label=_("Réponse"),
        choices=[(AWAITING, _("Sans réponse")), (ANSWERED, _("Avec réponse")), (ALL, _("Tous"))],
        empty_label=None,
        initial=AWAITING,
        widget=forms.RadioSelect,
        method="filter_reply",
    )
    app = django_filters.ModelChoiceFilter(
        label=_("Application"),
        queryset=lambda request: AppPage.objects.filter(
            publisher_id__in=publishers_of(request.user)
        ).order_by("title", "pk"),
    )
    rating = rating_filter()

    class Meta:
        model = Review
        fields = []

    def filter_reply(self, queryset, name, value):
        if value == self.AWAITING:
            return queryset.filter(reply__isnull=True)
        if value == self.ANSWERED:
            return queryset.filter(reply__isnull=False)
        return queryset


class PublisherReviewsIndexView(PublisherMemberRequiredMixin, BaseListingView):
    page_title = _("Avis sur mes applications")
    header_icon = "comment"
    results_template_name = "reviews/admin/publisher_reviews_results.html"
    index_url_name = "reviews_publisher:index"
    index_results_url_name = "reviews_publisher:index_results"
    filterset_class = ReplyFilterSet
    is_searchable = True
    search_fields = ["title", "body"]
    search_backend_name = None
    paginate_by = 20
    columns = []

    def get_base_queryset(self):
        return member_reviews(self.request).select_related(
            "app", "author", "reply", "reply__author"
        )

    def order_queryset(self, queryset):
        return queryset.order_by("-created_at", "-pk")

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["next_url"] = listing_url(self.request, self.index_url)
        context["reply_field_max_length"] = ReplyForm.base_fields["body"].max_length
        return context


class MemberReviewMixin(PublisherMemberRequiredMixin):
    """A published review of one of the member's apps; any other one does not exist (404)."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.review = None
        self.reply = None

    def dispatch(self, request, *args, **kwargs):
        if publishers_of(request.user):
            self.review = get_object_or_404(
                member_reviews(request).select_related("app", "author"), pk=kwargs["pk"]
            )
            self.reply = (
                ReviewReply.objects.filter(review=self.review).select_related("author").first()
            )
        return super().dispatch(request, *args, **kwargs)

    def get_success_url(self):
        return get_valid_next_url_from_request(self.request) or reverse("reviews_publisher:index")

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("reviews_publisher:index"), "label": _("Avis sur mes applications")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            review=self.review,
            reply=self.reply,
            next_url=get_valid_next_url_from_request(self.request),
            **kwargs,
        )


class ReplyView(MemberReviewMixin, WagtailAdminTemplateMixin, FormView):
    template_name = "reviews/admin/reply_form.html"
    form_class = ReplyForm
    header_icon = "comment"

    def get_page_title(self):
        return _("Modifier la réponse") if self.reply else _("Répondre à l'avis")

    def get_initial(self):
        return {"body": self.reply.body} if self.reply else {}

    def form_valid(self, form):
        try:
            _reply, created = services.save_reply(
                self.review, self.request.user, form.cleaned_data["body"]
            )
        except services.NotAllowed as error:
            raise PermissionDenied(error.message) from error
        messages.success(self.request, _("Réponse publiée.") if created else _("Réponse modifiée."))
        return redirect(self.get_success_url())


class DeleteReplyView(MemberReviewMixin, WagtailAdminTemplateMixin, FormView):
    template_name = "reviews/admin/reply_delete.html"
    form_class = forms.Form
    page_title = _("Supprimer la réponse")
    header_icon = "bin"

    def get(self, request, *args, **kwargs):
        if self.reply is None:
            raise Http404
        return super().get(request, *args, **kwargs)

    def form_valid(self, form):
        if self.reply is None:
            raise Http404
        try:
            services.delete_reply(self.review, self.request.user)
        except services.NotAllowed as error:
            raise PermissionDenied(error.message) from error
        messages.success(self.request, _("Réponse supprimée."))
        return redirect(self.get_success_url())


class PublisherReviewsViewSet(ViewSet):
    name = "reviews_publisher"
    url_prefix = "avis/mes-applications"
    url_namespace = "reviews_publisher"
    icon = "comment"

    def get_urlpatterns(self):
        index = PublisherReviewsIndexView
        return [
            path("", index.as_view(), name="index"),
            path("results/", index.as_view(results_only=True), name="index_results"),
            path("<int:pk>/reponse/", ReplyView.as_view(), name="reply"),
            path("<int:pk>/reponse/supprimer/", DeleteReplyView.as_view(), name="delete_reply"),
        ]


# --- Menu and dashboard --------------------------------------------------------------------


class ModerationMenuItem(AdminMenuItem):
    def is_shown(self, request):
        return services.is_moderator(request.user)


class PublisherReviewsMenuItem(AdminMenuItem):
    def is_shown(self, request):
        return bool(publishers_of(request.user))


def menu_items():
    return [
        ModerationMenuItem(
            _("Modération"),
            reverse_lazy("reviews_moderation:index"),
            name="reviews-moderation",
            icon_name="comment",
            order=100,
        ),
        PublisherReviewsMenuItem(
            _("Avis sur mes applications"),
            reverse_lazy("reviews_publisher:index"),
            name="reviews-publisher",
            icon_name="comment",
            order=200,
        ),
    ]
