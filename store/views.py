from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from wagtail.images import get_image_model

from store.health import check_database

# The icon rendition of includes/app_card.html; prefetched so a list costs one query for all.
CARD_ICON_SPEC = "fill-96x96"


@never_cache
@require_GET
def healthz(request):
    """Liveness for load balancers and compose health checks: the database answers."""
    status = check_database()
    return JsonResponse({"database": status.ok}, status=200 if status.ok else 503)


def prefetch_card_icons(apps):
    """The apps as a list, with the renditions their cards show fetched in one query."""
    apps = list(apps)
    icons = [app.icon for app in apps if app.icon_id]
    if icons:
        renditions = get_image_model().get_rendition_model().objects
        prefetch_related_objects(
            icons,
            Prefetch("renditions", queryset=renditions.filter(filter_spec=CARD_ICON_SPEC)),
        )
    return apps


def collection(request, slug):
    """An editor's collection: its live apps in the editors' order, paginated."""
    from catalogue.models import Collection, paginate

    collection = get_object_or_404(Collection, slug=slug)
    apps = paginate(request, collection.live_apps())
    apps.object_list = prefetch_card_icons(apps.object_list)
    return render(request, "store/collection.html", {"collection": collection, "apps": apps})


@require_GET
def app_by_slug(request, slug):
    """/apps/<slug>/: the app's page, wherever its publisher's page puts it (autocomplete links
    here: the suggestions API knows slugs, not page paths)."""
    from catalogue.models import AppPage

    app = AppPage.objects.live().public().filter(slug=slug).only("pk", "url_path").first()
    url = app.get_url(request) if app is not None else None
    if not url:
        raise Http404
    return redirect(url)
