"""The catalogue: publishers, categories, app pages and their listings, collections.

Tree of pages: HomePage (cms) → CatalogueIndexPage → PublisherPage (one per publisher) → AppPage.
A publisher's group gets page permissions on its own PublisherPage only, which is how Wagtail
confines a member to their publisher's apps in every admin view.

The app page is composed by hook: ``AppPage.get_context`` runs ``APP_PAGE_CONTEXT_HOOK``, where
the catalogue adds its own part (catalogue.app_page) and other apps their sections (reviews).
"""

import nh3
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, PageManager, PagePermissionTester
from wagtail.search import index

from catalogue import licences, permissions
from catalogue.appstream import validate_listing_url
from catalogue.labels import is_english
from catalogue.platforms import ACCEPT_CH, VARY, Platform, anti_feature_labels
from catalogue.querysets import AppPageQuerySet, CategoryQuerySet

APPS_PER_PAGE = 24
PROBLEM_MESSAGE_MAX_LENGTH = 1000
# fn(request, app, context, bound_forms) -> None: adds to the app page's context. Sections of
# other apps append {"template": …, "head_template": …, "context": {…}} to context["sections"].
APP_PAGE_CONTEXT_HOOK = "emploistore_app_page_context"


class Category(models.Model):
    """A universe (no parent) or one of its sub-categories."""

    name = models.CharField(_("nom"), max_length=100)
    name_en = models.CharField(_("nom (anglais)"), max_length=100, blank=True)
    slug = models.SlugField(_("identifiant"), max_length=100, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("univers"),
        null=True,
        blank=True,
        related_name="children",
        on_delete=models.PROTECT,
    )
    description = models.TextField(_("description"), blank=True)
    icon = models.CharField(_("icône DSFR"), max_length=60, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    objects = CategoryQuerySet.as_manager()

    panels = [
        FieldPanel("name"),
        FieldPanel("name_en"),
        FieldPanel("slug"),
        FieldPanel("parent"),
        FieldPanel("description"),
        FieldPanel("icon"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("catégorie")
        verbose_name_plural = _("catégories")

    def __str__(self):
        return f"{self.parent.name} › {self.name}" if self.parent_id else self.name

    @property
    def is_universe(self) -> bool:
        return self.parent_id is None

    def clean(self):
        # Two levels only: a universe and its sub-categories.
        if self.parent_id and (self.parent_id == self.pk or self.parent.parent_id):
            raise ValidationError({"parent": _("Le parent doit être un univers.")})


class Audience(models.Model):
    slug = models.SlugField(max_length=30, unique=True)
    name = models.CharField(_("nom"), max_length=60)
    name_en = models.CharField(_("nom (anglais)"), max_length=60, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order"]
        verbose_name = _("public")
        verbose_name_plural = _("publics")

    def __str__(self):
        return self.name


class Language(models.Model):
    code = models.CharField(_("code ISO 639-1"), max_length=8, unique=True)
    name = models.CharField(_("nom"), max_length=60)
    name_en = models.CharField(_("nom (anglais)"), max_length=60, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("langue")
        verbose_name_plural = _("langues")

    def __str__(self):
        return self.name


class Publisher(models.Model):
    class Kind(models.TextChoices):
        PUBLIC_SERVICE = "public_service", _("Service public")
        LOCAL_AUTHORITY = "local_authority", _("Collectivité territoriale")
        COMPANY = "company", _("Entreprise")
        ASSOCIATION = "association", _("Association")
        OTHER = "other", _("Autre")

    name = models.CharField(_("nom"), max_length=120, unique=True)
    slug = models.SlugField(_("identifiant"), max_length=120, unique=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.COMPANY)
    website = models.URLField(_("site web"), blank=True)
    description = models.TextField(_("présentation"), blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verified = models.BooleanField(
        _("éditeur vérifié"),
        default=False,
        help_text=_("Identité vérifiée par l'équipe éditoriale."),
    )
    # The publisher's members are the users of this group (created with the publisher).
    group = models.OneToOneField(
        "auth.Group",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="publisher",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("kind"),
        FieldPanel("website"),
        FieldPanel("description"),
        FieldPanel("logo"),
        FieldPanel("verified"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("éditeur")
        verbose_name_plural = _("éditeurs")

    def __str__(self):
        return self.name

    @property
    def members(self):
        users = get_user_model().objects
        return users.filter(groups=self.group_id) if self.group_id else users.none()


class EditorsDeleteTester(PagePermissionTester):
    """Only editors delete the catalogue's pages. A publisher member's page rights (add, change)
    would let Wagtail delete a draft app, and with it what it carries (favourites, problem
    reports; reviews are protected): members unpublish, editors decide. Applies to every admin
    view that asks (the delete view, bulk deletion, the action buttons)."""

    def can_delete(self, ignore_bulk=False):
        return permissions.is_editor(self.user) and super().can_delete(ignore_bulk)


class CatalogueIndexPage(RoutablePageMixin, Page):
    """/applications/: every live app, and one sub-page per universe or category."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["catalogue.PublisherPage"]
    max_count = 1

    class Meta:
        verbose_name = _("index du catalogue")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        apps = AppPage.objects.visible().for_listing().order_by("title", "pk")
        context["apps"] = paginate(request, apps)
        context["universes"] = Category.objects.filter(parent=None).prefetch_related("children")
        return context

    @path("categorie/<slug:slug>/", name="category")
    def category(self, request, slug):
        category = get_object_or_404(Category.objects.select_related("parent"), slug=slug)
        apps = (
            AppPage.objects.visible()
            .in_category(category)
            .for_listing()
            .order_by("-popularity", "title", "pk")
        )
        return self.render(
            request,
            context_overrides={
                "category": category,
                "universe": category.parent or category,
                "subcategories": (category.parent or category).children.all(),
                "apps": paginate(request, apps),
            },
            template="catalogue/category_page.html",
        )


class PublisherPage(Page):
    """A publisher's public page and the parent of its apps (its members' permission scope)."""

    publisher = models.OneToOneField(
        Publisher, on_delete=models.PROTECT, related_name="page", verbose_name=_("éditeur")
    )

    content_panels = [*Page.content_panels]
    parent_page_types = ["catalogue.CatalogueIndexPage"]
    subpage_types = ["catalogue.AppPage"]
    # Created with its publisher (catalogue.services.ensure_publisher_space), not by hand.
    is_creatable = False

    class Meta:
        verbose_name = _("page éditeur")

    def permissions_for_user(self, user):
        return EditorsDeleteTester(user, self)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        apps = (
            AppPage.objects.visible()
            .filter(publisher_id=self.publisher_id)
            .for_listing()
            .order_by("title", "pk")
        )
        context["apps"] = paginate(request, apps)
        return context


RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link"]
RELEASE_NOTES_TAGS = {"p", "ul", "ol", "li", "em", "strong", "a", "br"}


class AppPage(Page):
    class Pricing(models.TextChoices):
        FREE = "free", _("Gratuit")
        FREEMIUM = "freemium", _("Gratuit avec options payantes")
        PAID = "paid", _("Payant")

    class Accessibility(models.TextChoices):
        FULL = "full", _("Totalement conforme (RGAA)")
        PARTIAL = "partial", _("Partiellement conforme (RGAA)")
        NONE = "none", _("Non conforme (RGAA)")

    class Source(models.TextChoices):
        MANUAL = "manual", _("Saisie manuelle")
        FEED = "feed", _("Flux de l'éditeur")

    tagline = models.CharField(_("accroche"), max_length=140)
    description = RichTextField(_("description"), features=RICH_TEXT_FEATURES)
    # English is optional: where it is empty, the English site, API and search show the French.
    title_en = models.CharField(_("nom (anglais)"), max_length=255, blank=True)
    tagline_en = models.CharField(_("accroche (anglais)"), max_length=140, blank=True)
    description_en = RichTextField(
        _("description (anglais)"), features=RICH_TEXT_FEATURES, blank=True
    )
    website = models.URLField(_("site de l'application"), max_length=500, blank=True)
    licence = models.CharField(
        _("licence"),
        max_length=licences.MAX_LENGTH,
        blank=True,
        validators=[licences.validate],
        help_text=_("Expression SPDX, par exemple « MIT » ou « GPL-3.0-or-later OR MPL-2.0 »."),
    )
    # A store's own rating ({"source": "app_store", "average": 4.5, "count": 1200}), from
    # its feed: shown apart from the catalogue's reviews, never mixed with them.
    store_rating = models.JSONField(
        _("note dans le magasin"), null=True, blank=True, editable=False
    )
    icon = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("icône"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Always the publisher of the parent PublisherPage (set in save()); moving the page
    # under another publisher is how an editor changes it.
    publisher = models.ForeignKey(
        Publisher,
        verbose_name=_("éditeur"),
        on_delete=models.PROTECT,
        related_name="apps",
        editable=False,
    )
    categories = ParentalManyToManyField(
        Category, verbose_name=_("catégories"), related_name="apps", blank=False
    )
    audiences = ParentalManyToManyField(
        Audience, verbose_name=_("publics"), related_name="apps", blank=False
    )
    pricing = models.CharField(
        _("tarif"), max_length=10, choices=Pricing.choices, default=Pricing.FREE
    )
    languages = ParentalManyToManyField(
        Language, verbose_name=_("langues"), related_name="apps", blank=True
    )
    accessibility = models.CharField(
        _("accessibilité"),
        max_length=10,
        choices=Accessibility.choices,
        default=Accessibility.NONE,
    )
    external_id = models.CharField(
        _("identifiant chez l'éditeur"),
        max_length=200,
        blank=True,
        help_text=_("Identifiant de l'application dans le flux de l'éditeur."),
    )
    source = models.CharField(
        _("origine"),
        max_length=10,
        choices=Source.choices,
        default=Source.MANUAL,
        editable=False,
    )

    # Maintained by reviews and favourites through their own UPDATE queries, never by editing:
    # a page save writes them as they are at that moment (save(), with_content_json()).
    rating_average = models.DecimalField(
        _("note moyenne"), max_digits=3, decimal_places=2, default=0, editable=False
    )
    rating_count = models.PositiveIntegerField(_("nombre d'avis"), default=0, editable=False)
    rating_histogram = models.JSONField(_("répartition des notes"), default=dict, editable=False)
    popularity = models.PositiveIntegerField(_("popularité"), default=0, editable=False)
    # The page's slug, copied here by save(): the API and /apps/<slug>/ address apps by slug
    # alone, and Wagtail keeps slugs unique among siblings only. This column's unique index
    # makes it hold across publishers, even when two saves race.
    app_slug = models.SlugField(max_length=255, unique=True, editable=False)

    objects = PageManager.from_queryset(AppPageQuerySet)()

    COUNTER_FIELDS = ("rating_average", "rating_count", "rating_histogram", "popularity")

    content_panels = [
        *Page.content_panels,
        FieldPanel("tagline"),
        FieldPanel("icon"),
        FieldPanel("description"),
        MultiFieldPanel(
            [FieldPanel("title_en"), FieldPanel("tagline_en"), FieldPanel("description_en")],
            heading=_("En anglais (facultatif : à défaut, le français est montré)"),
        ),
        FieldPanel("website"),
        FieldPanel("licence"),
        InlinePanel("listings", label=_("Plateformes"), min_num=1, max_num=6),
        InlinePanel("releases", label=_("Nouveautés (historique des versions)")),
        InlinePanel("screenshots", label=_("Captures d'écran"), max_num=10),
        MultiFieldPanel(
            [
                FieldPanel("categories"),
                FieldPanel("audiences"),
                FieldPanel("pricing"),
                FieldPanel("languages"),
                FieldPanel("accessibility"),
            ],
            heading=_("Classement"),
        ),
        FieldPanel("external_id"),
    ]

    search_fields = [
        *Page.search_fields,
        index.SearchField("tagline"),
        index.SearchField("description"),
        index.SearchField("title_en"),
        index.SearchField("tagline_en"),
        index.FilterField("publisher"),
        index.FilterField("pricing"),
    ]

    parent_page_types = ["catalogue.PublisherPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(
                fields=["publisher", "external_id"],
                condition=~Q(external_id=""),
                name="app_external_id_unique_per_publisher",
                violation_error_message=_(
                    "Cet éditeur a déjà une application avec cet identifiant externe."
                ),
            ),
            models.CheckConstraint(
                condition=Q(rating_average__gte=0) & Q(rating_average__lte=5),
                name="app_rating_average_between_0_and_5",
            ),
        ]

    def save(self, *args, **kwargs):
        if self.path and self.depth:
            parent = self.get_parent()
            if parent is not None:
                self.publisher_id = parent.specific_deferred.publisher_id
        self.app_slug = self.slug
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "slug" in update_fields:
            kwargs["update_fields"] = {*update_fields, "app_slug"}
        try:
            return self.save_counted(*args, **kwargs)
        except IntegrityError as error:
            if "app_slug" not in str(error):
                raise
            # The database's answer to a race the clean() check could not see.
            raise ValidationError({"slug": self.slug_taken_message()}) from error

    def slug_taken_message(self) -> str:
        return _("Une autre application utilise déjà l'identifiant « %s ».") % self.slug

    def save_counted(self, *args, **kwargs):
        # The savepoint keeps the caller's transaction usable when the slug's index refuses.
        if self.pk is None:
            with transaction.atomic():
                return super().save(*args, **kwargs)
        with transaction.atomic():
            # Publishing a revision saves the whole page as it was when the revision was saved:
            # the counters written must be those of now. Locked as reviews.services.lock_app
            # locks it, so a review counted meanwhile waits, then counts again after us.
            current = (
                AppPage.objects.select_for_update(of=("self",))
                .filter(pk=self.pk)
                .values(*self.COUNTER_FIELDS)
                .first()
            )
            for field, value in (current or {}).items():
                setattr(self, field, value)
            return super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        # The API addresses apps by slug alone: keep it unique across publishers.
        if self.slug and AppPage.objects.filter(slug=self.slug).exclude(pk=self.pk).exists():
            raise ValidationError({"slug": self.slug_taken_message()})

    def permissions_for_user(self, user):
        return EditorsDeleteTester(user, self)

    def get_context(self, request, *args, bound_forms=None, **kwargs):
        """The page's context, built by the APP_PAGE_CONTEXT_HOOK hooks (catalogue first).

        ``bound_forms``: the forms of a POST that failed, so that the page shows their errors
        and keeps what was typed.
        """
        context = super().get_context(request, *args, **kwargs)
        context["sections"] = []
        for add_context in hooks.get_hooks(APP_PAGE_CONTEXT_HOOK):
            add_context(request, self, context, bound_forms or {})
        return context

    def serve(self, request, *args, **kwargs):
        return self.vary_with_platform(super().serve(request, *args, **kwargs))

    def serve_with_forms(self, request, bound_forms: dict, *, status: int):
        """The page again, with the bound forms of a POST that failed (errors, input kept)."""
        request.is_preview = False
        context = self.get_context(request, bound_forms=bound_forms)
        response = TemplateResponse(request, self.get_template(request), context, status=status)
        return self.vary_with_platform(response)

    @staticmethod
    def vary_with_platform(response):
        # The install buttons depend on the visitor's platform: ask Chromium browsers for the
        # platform hint, and tell caches the page varies with what it is read from.
        response["Accept-CH"] = ACCEPT_CH
        patch_vary_headers(response, VARY)
        return response

    def with_content_json(self, content):
        # The same rule as save(): a revision never carries its own counters. The object made
        # from it (to preview, to publish) holds the figures of now.
        page = super().with_content_json(content)
        for field in self.COUNTER_FIELDS:
            setattr(page, field, getattr(self, field))
        return page

    @property
    def platforms(self) -> list[str]:
        return [listing.platform for listing in self.listings.all()]

    # The texts in the visitor's language: English when the request is in English and the
    # English text is filled in, French otherwise (as catalogue.labels.localized_name).
    @property
    def localized_title(self) -> str:
        return (is_english() and self.title_en) or self.title

    @property
    def localized_tagline(self) -> str:
        return (is_english() and self.tagline_en) or self.tagline

    @property
    def localized_description(self) -> str:
        return (is_english() and self.description_en) or self.description

    @property
    def licence_kind(self) -> str:
        """« free », « proprietary », or « » when the licence is unknown."""
        return licences.kind(self.licence)


class AppListing(Orderable):
    """Where to get the app on one platform."""

    Platform = Platform

    page = ParentalKey(AppPage, on_delete=models.CASCADE, related_name="listings")
    platform = models.CharField(_("plateforme"), max_length=10, choices=Platform.choices)
    # http(s), or appstream://<id> for a Linux app the software centre installs.
    url = models.CharField(_("adresse"), max_length=500, validators=[validate_listing_url])
    store_id = models.CharField(_("identifiant dans le magasin"), max_length=200, blank=True)
    version = models.CharField(_("version"), max_length=50, blank=True)
    min_os_version = models.CharField(_("version minimale du système"), max_length=50, blank=True)
    updated_at = models.DateTimeField(_("mise à jour"), null=True, blank=True)
    release_notes = models.TextField(_("notes de version"), blank=True)
    # F-Droid's anti-features of this build (NonFreeNet, Ads, Tracking…), as its feed says.
    anti_features = models.JSONField(_("anti-fonctionnalités (F-Droid)"), default=list, blank=True)

    @property
    def anti_feature_labels(self) -> list[str]:
        """The anti-features as visitors read them (catalogue.platforms.ANTI_FEATURES)."""
        return anti_feature_labels(self.anti_features)

    panels = [
        FieldPanel("platform"),
        FieldPanel("url"),
        FieldPanel("store_id"),
        FieldPanel("version"),
        FieldPanel("min_os_version"),
        FieldPanel("updated_at"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("plateforme")
        verbose_name_plural = _("plateformes")
        constraints = [
            models.UniqueConstraint(
                fields=["page", "platform"],
                name="one_listing_per_platform",
                violation_error_message=_("Une seule fiche par plateforme."),
            )
        ]

    def __str__(self):
        return f"{self.page} ({self.get_platform_display()})"


class AppRelease(Orderable):
    """One version of the app on one platform: the listing's history ("Nouveautés")."""

    page = ParentalKey(AppPage, on_delete=models.CASCADE, related_name="releases")
    platform = models.CharField(_("plateforme"), max_length=10, choices=Platform.choices)
    version = models.CharField(_("version"), max_length=50)
    released_at = models.DateTimeField(_("date"), null=True, blank=True)
    # Sanitised HTML (p, ul, ol, li, em, strong, a, br), as feeds' release notes are.
    notes = models.TextField(_("notes de version"), blank=True)

    panels = [
        FieldPanel("platform"),
        FieldPanel("version"),
        FieldPanel("released_at"),
        FieldPanel("notes"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("version")
        verbose_name_plural = _("versions")

    def __str__(self):
        return f"{self.page} {self.version} ({self.get_platform_display()})"

    @property
    def safe_notes(self) -> str:
        """The notes as HTML safe to show, whoever typed them (a member in the admin, a feed)."""
        return mark_safe(  # noqa: S308 (sanitised by nh3 just here)
            nh3.clean(
                self.notes or "",
                tags=RELEASE_NOTES_TAGS,
                attributes={"a": {"href"}},
                url_schemes={"http", "https"},
                link_rel="noopener noreferrer nofollow",
            )
        )


class AppScreenshot(Orderable):
    page = ParentalKey(AppPage, on_delete=models.CASCADE, related_name="screenshots")
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("image"), on_delete=models.CASCADE, related_name="+"
    )
    caption = models.CharField(_("légende"), max_length=250, blank=True)

    panels = [FieldPanel("image"), FieldPanel("caption")]

    class Meta(Orderable.Meta):
        verbose_name = _("capture d'écran")
        verbose_name_plural = _("captures d'écran")


class Collection(ClusterableModel):
    """An editor-curated, ordered list of apps (home page picks, themes)."""

    name = models.CharField(_("nom"), max_length=120)
    slug = models.SlugField(_("identifiant"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    featured = models.BooleanField(_("à la une"), default=False)
    sort_order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("featured"),
        FieldPanel("sort_order"),
        InlinePanel("items", label=_("Applications")),
    ]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("collection d'applications")
        verbose_name_plural = _("collections d'applications")

    def __str__(self):
        return self.name

    def live_apps(self):
        return (
            AppPage.objects.visible()
            .filter(collection_items__collection=self)
            .for_listing()
            .order_by("collection_items__sort_order")
        )


class CollectionItem(Orderable):
    collection = ParentalKey(Collection, on_delete=models.CASCADE, related_name="items")
    app = models.ForeignKey(
        AppPage,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="collection_items",
    )

    panels = [FieldPanel("app")]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(fields=["collection", "app"], name="app_once_per_collection")
        ]


def paginate(request, queryset, per_page=APPS_PER_PAGE):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


class Favourite(models.Model):
    """An app a user keeps in their list (the API's /me/favourites/); counts feed popularity."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utilisateur"),
        on_delete=models.CASCADE,
        related_name="favourites",
    )
    app = models.ForeignKey(
        AppPage,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="favourites",
    )
    created_at = models.DateTimeField(_("ajoutée le"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("favori")
        verbose_name_plural = _("favoris")
        constraints = [
            models.UniqueConstraint(fields=["user", "app"], name="favourite_once_per_user")
        ]

    def __str__(self):
        return f"{self.user} ♥ {self.app}"


class AppProblemReport(models.Model):
    """A visitor's report of a problem with an app (the app page's form); editors resolve it."""

    class Reason(models.TextChoices):
        BROKEN_LINK = "broken_link", _("Lien cassé")
        WRONG_INFORMATION = "wrong_information", _("Informations erronées")
        INAPPROPRIATE = "inappropriate", _("Contenu inapproprié")
        ACCESSIBILITY = "accessibility", _("Problème d'accessibilité")
        OTHER = "other", _("Autre")

    class Status(models.TextChoices):
        OPEN = "open", _("À traiter")
        RESOLVED = "resolved", _("Résolu")

    app = models.ForeignKey(
        AppPage,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="problem_reports",
    )
    reason = models.CharField(_("motif"), max_length=20, choices=Reason.choices)
    message = models.TextField(_("message"), max_length=PROBLEM_MESSAGE_MAX_LENGTH, blank=True)
    # Given by anonymous visitors who want an answer; signed-in ones are known by `user`.
    email = models.EmailField(_("adresse e-mail"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signalé par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="app_problem_reports",
    )
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(_("signalé le"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("résolu le"), null=True, blank=True, editable=False)

    # Editors only change the status: the rest is the visitor's, shown as it was sent.
    panels = [
        FieldPanel("app", read_only=True),
        FieldPanel("reason", read_only=True),
        FieldPanel("message", read_only=True),
        FieldPanel("email", read_only=True),
        FieldPanel("user", read_only=True),
        FieldPanel("status"),
    ]

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("signalement d'application")
        verbose_name_plural = _("signalements d'applications")
        indexes = [models.Index(fields=["status", "-created_at"], name="problem_report_queue")]

    def __str__(self):
        return f"{self.get_reason_display()} — {self.app_id and self.app.title}"

    def save(self, *args, **kwargs):
        if self.status == self.Status.RESOLVED and self.resolved_at is None:
            self.resolved_at = timezone.now()
        elif self.status == self.Status.OPEN:
            self.resolved_at = None
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "resolved_at"}
        return super().save(*args, **kwargs)

    @admin.display(description=_("message"))
    def message_excerpt(self) -> str:
        return Truncator(self.message).chars(120)
