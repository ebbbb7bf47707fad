"""Editorial pages: the home page (site root) and free content pages."""

from django.db import models
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from catalogue.models import AppPage, CatalogueIndexPage, Category, Collection

HOME_APPS_LIMIT = 6
HOME_COLLECTIONS_LIMIT = 3
HOME_COLLECTION_APPS_LIMIT = 3
# "Top rated" needs a few reviews: one 5-star review is not a ranking.
TOP_RATED_MIN_REVIEWS = 3


class HomePage(Page):
    intro = models.CharField(_("accroche"), max_length=250, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["catalogue.CatalogueIndexPage", "cms.ContentPage"]
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


class ContentPage(Page):
    body = RichTextField(_("contenu"))

    content_panels = [*Page.content_panels, FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    parent_page_types = ["cms.HomePage", "cms.ContentPage"]
    subpage_types = ["cms.ContentPage"]

    class Meta:
        verbose_name = _("page de contenu")
