from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from catalogue.models import AppPage, Collection, paginate
from store.health import UNAVAILABLE, check_all, readiness

# A probe must answer fast, even when a service hangs.
PROBE_TIMEOUT_SECONDS = 1


@never_cache
@require_GET
def healthz(request):
    """Liveness: the process answers (it asks nothing of the database or the others)."""
    return JsonResponse({"status": "alive"})


@never_cache
@require_GET
def readyz(request):
    """Readiness, for load balancers and compose: 200 when the store can serve (ready, or
    degraded: Redis or Elasticsearch away), 503 without its database. Each service's state
    as `manage.py check_services` prints it."""
    statuses = check_all(timeout=PROBE_TIMEOUT_SECONDS)
    verdict = readiness(statuses)
    body = {
        "status": verdict,
        "services": {
            status.name: {"ok": status.ok, "detail": status.detail} for status in statuses
        },
    }
    return JsonResponse(body, status=503 if verdict == UNAVAILABLE else 200)


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
