"""Editorial pages: the home page (site root), free content pages and the legal pages.

Content pages and legal pages are written in French and may be given in English
(``title_en``, ``body_en``): a visitor who chose English reads the English version when there
is one, the French one (marked ``lang="fr"``) otherwise.
"""

from django.db import models
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from catalogue.models import AppPage, CatalogueIndexPage, Category, Collection
from cms.blocks import legal_blocks

HOME_APPS_LIMIT = 6
HOME_COLLECTIONS_LIMIT = 3
HOME_COLLECTION_APPS_LIMIT = 3
# "Top rated" needs a few reviews: one 5-star review is not a ranking.
TOP_RATED_MIN_REVIEWS = 3


class HomePage(Page):
    intro = models.CharField(_("accroche"), max_length=250, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["catalogue.CatalogueIndexPage", "cms.ContentPage", "cms.LegalPage"]
    max_count = 1

    class Meta:
        verbose_name = _("page d'accueil")

    def get_context(self, request, *args, **kwargs):
        """Universes (with their app counts), featured collections, top-rated and recently
        updated apps: a fixed number of queries, whatever the size of the catalogue."""
        context = super().get_context(request, *args, **kwargs)
        catalogue = CatalogueIndexPage.objects.live().first()
        visible = AppPage.objects.visible()
        listed = visible.for_listing().with_card_icons()
        top_rated = listed.filter(rating_count__gte=TOP_RATED_MIN_REVIEWS).order_by(
            "-rating_average", "-rating_count", "title", "pk"
        )[:HOME_APPS_LIMIT]
        recent = listed.order_by("-last_published_at", "pk")[:HOME_APPS_LIMIT]
        context.update(
            catalogue=catalogue,
            universes=home_universes(request, catalogue, visible),
            collections=featured_collections(listed),
            top_rated_apps=list(top_rated),
            recent_apps=list(recent),
        )
        return context


def home_universes(request, catalogue, visible_apps):
    """The universes, each with its URL and its number of visible apps (sub-categories
    included), in two queries."""
    counts = Category.objects.universe_counts(visible_apps)
    catalogue_url = catalogue.get_url(request) if catalogue is not None else None
    universes = list(Category.objects.universes())
    for universe in universes:
        universe.app_count = counts.get(universe.pk, 0)
        universe.url = (
            catalogue_url + catalogue.reverse_subpage("category", kwargs={"slug": universe.slug})
            if catalogue_url
            else None
        )
    return universes


def featured_collections(listed_apps):
    """[(collection, its first apps)] of the featured collections, in three queries (plus
    the cards' prefetches) however many collections and apps there are."""
    collections = list(
        Collection.objects.filter(featured=True).order_by("sort_order", "name", "pk")[
            :HOME_COLLECTIONS_LIMIT
        ]
    )
    if not collections:
        return []
    apps = list(
        listed_apps.filter(collection_items__collection__in=collections)
        .annotate(
            in_collection=F("collection_items__collection_id"),
            position=Window(
                RowNumber(),
                partition_by=F("collection_items__collection_id"),
                order_by=[F("collection_items__sort_order").asc(), F("pk").asc()],
            ),
        )
        .filter(position__lte=HOME_COLLECTION_APPS_LIMIT)
        .order_by("in_collection", "position")
    )
    by_collection = {}
    for app in apps:
        by_collection.setdefault(app.in_collection, []).append(app)
    return [(collection, by_collection.get(collection.pk, [])) for collection in collections]


class InEnglish:
    """The English version of a page when the visitor reads the site in English and the page
    has one (``title_en``, and ``body_en`` not empty); French otherwise."""

    def shows_english(self) -> bool:
        return (get_language() or "").startswith("en") and bool(self.title_en and self.body_en)

    @property
    def display_title(self) -> str:
        return self.title_en if self.shows_english() else self.title

    @property
    def display_body(self):
        return self.body_en if self.shows_english() else self.body

    @property
    def display_language(self) -> str:
        return "en" if self.shows_english() else "fr"


class ContentPage(InEnglish, Page):
    title_en = models.CharField(_("titre (anglais)"), max_length=255, blank=True)
    body = RichTextField(_("contenu"))
    body_en = RichTextField(
        _("contenu (anglais)"),
        blank=True,
        help_text=_("Montré aux visiteurs qui lisent le site en anglais, avec le titre anglais."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("body"),
        MultiFieldPanel([FieldPanel("title_en"), FieldPanel("body_en")], heading=_("English")),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("body"),
        index.SearchField("title_en"),
        index.SearchField("body_en"),
    ]
    parent_page_types = ["cms.HomePage", "cms.ContentPage"]
    subpage_types = ["cms.ContentPage"]

    class Meta:
        verbose_name = _("page de contenu")


class LegalPage(InEnglish, Page):
    """One of the pages the law asks of a French public site, linked from every page's footer
    (cms.legal.footer_links). Created by a data migration (cms 0003); editors edit the text, the
    generated blocks (cms.blocks) say what the site really does."""

    class Kind(models.TextChoices):
        ACCESSIBILITY = "accessibility", _("Déclaration d'accessibilité")
        LEGAL_NOTICE = "legal_notice", _("Mentions légales")
        PERSONAL_DATA = "personal_data", _("Données personnelles")
        COOKIES = "cookies", _("Gestion des cookies")
        SITEMAP = "sitemap", _("Plan du site")

    class Compliance(models.TextChoices):
        # RGAA: "non conforme" as long as no valid audit measured the criteria.
        NONE = "none", _("non conforme")
        PARTIAL = "partial", _("partiellement conforme")
        FULL = "full", _("totalement conforme")

    kind = models.CharField(_("rôle"), max_length=20, choices=Kind.choices, unique=True)
    compliance = models.CharField(
        _("état de conformité RGAA"),
        max_length=10,
        choices=Compliance.choices,
        default=Compliance.NONE,
        help_text=_(
            "Pour la déclaration d'accessibilité seulement, affiché dans le pied de page. "
            "« Non conforme » tant qu'aucun audit RGAA en cours de validité ne mesure les "
            "critères ; « partiellement » à partir de 50 % de critères respectés."
        ),
    )
    title_en = models.CharField(_("titre (anglais)"), max_length=255, blank=True)
    body = StreamField(legal_blocks(), verbose_name=_("contenu"))
    body_en = StreamField(
        legal_blocks(),
        verbose_name=_("contenu (anglais)"),
        blank=True,
        help_text=_("Montré aux visiteurs qui lisent le site en anglais, avec le titre anglais."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("kind", read_only=True),
        FieldPanel("compliance"),
        FieldPanel("body"),
        MultiFieldPanel([FieldPanel("title_en"), FieldPanel("body_en")], heading=_("English")),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("body"),
        index.SearchField("title_en"),
        index.SearchField("body_en"),
    ]
    parent_page_types = ["cms.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("page légale")
        verbose_name_plural = _("pages légales")
