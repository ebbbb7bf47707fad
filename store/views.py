from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from catalogue.models import AppPage, Collection, paginate
from store.health import check_database


@never_cache
@require_GET
def healthz(request):
    """Liveness for load balancers and compose health checks: the database answers."""
    status = check_database()
    return JsonResponse({"database": status.ok}, status=200 if status.ok else 503)


def collection(request, slug):
    """An editor's collection: its live apps in the editors' order, paginated."""
    collection = get_object_or_404(Collection, slug=slug)
    apps = paginate(request, collection.live_apps().with_card_icons())
    return render(request, "store/collection.html", {"collection": collection, "apps": apps})


@require_GET
def app_by_slug(request, slug):
    """/apps/<slug>/: the app's page, wherever its publisher's page puts it (autocomplete links
    here: the suggestions API knows slugs, not page paths)."""
    app = AppPage.objects.visible().filter(slug=slug).only("pk", "url_path").first()
    url = app.get_url(request) if app is not None else None
    if not url:
        raise Http404
    return redirect(url)
