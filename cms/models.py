"""Editorial pages: the home page (site root) and free content pages."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

HOME_APPS_LIMIT = 8


class HomePage(Page):
    intro = models.CharField(_("accroche"), max_length=250, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["catalogue.CatalogueIndexPage", "cms.ContentPage"]
    max_count = 1

    class Meta:
        verbose_name = _("page d'accueil")

    def get_context(self, request, *args, **kwargs):
        from catalogue.models import AppPage, CatalogueIndexPage, Category, Collection

        context = super().get_context(request, *args, **kwargs)
        context["universes"] = Category.objects.filter(parent=None)
        context["collections"] = [
            (collection, collection.live_apps()[:HOME_APPS_LIMIT])
            for collection in Collection.objects.filter(featured=True)
        ]
        live_apps = AppPage.objects.live().public().for_listing()
        context["popular_apps"] = live_apps.order_by("-popularity", "title", "pk")[:HOME_APPS_LIMIT]
        context["catalogue"] = CatalogueIndexPage.objects.live().first()
        return context


class ContentPage(Page):
    body = RichTextField(_("contenu"))

    content_panels = [*Page.content_panels, FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    parent_page_types = ["cms.HomePage", "cms.ContentPage"]
    subpage_types = ["cms.ContentPage"]

    class Meta:
        verbose_name = _("page de contenu")
