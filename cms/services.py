"""The site's root: the home page and the default Wagtail site pointing at it.

Idempotent, run after every `migrate` (and test database flush) by cms.receivers; cms comes
before catalogue in INSTALLED_APPS, so the catalogue finds the home page to hang under.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.models import Page, Site

from cms.models import HomePage

SITE_NAME = "Emploi Store"


@transaction.atomic
def ensure_home_page() -> HomePage:
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        home = root.add_child(
            instance=HomePage(
                title=SITE_NAME,
                slug="accueil",
                intro="Les services numériques pour trouver un emploi, se former et recruter.",
            )
        )
        # Wagtail's initial "Welcome" page gives way to ours.
        Page.objects.filter(depth=2).exclude(pk=home.pk).filter(
            content_type=ContentType.objects.get_for_model(Page)
        ).delete()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name=SITE_NAME,
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.site_name = site.site_name or SITE_NAME
        site.save()
    return home
