from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from store.health import check_database


@never_cache
@require_GET
def healthz(request):
    """Liveness for load balancers and compose health checks: the database answers."""
    status = check_database()
    return JsonResponse({"database": status.ok}, status=200 if status.ok else 503)
