"""URLconf of bench/api.py's gunicorn only (see bench/api_settings.py): the store's own URLs,
plus the baseline of the API benchmark, a bare DRF endpoint returning a constant.

The bare endpoint keeps DRF's defaults from settings (authentication, permissions, throttling,
the JSON renderer) and sits under /api/ like the real endpoints (CORS applies to it too), so
the ratios measure what the catalogue endpoints add to the same stack."""

from django.urls import include, path
from rest_framework.response import Response
from rest_framework.views import APIView

BARE_PATH = "api/bench-bare/"
UNTHROTTLED_PATH = "api/bench-bare-unthrottled/"
CONSTANT = {"status": "ok"}


class BareView(APIView):
    """GET → a constant JSON body; no database, no search."""

    schema = None  # not in the OpenAPI schema

    def get(self, request):
        return Response(CONSTANT)


class UnthrottledView(BareView):
    """The same without throttling: shows what the throttle's cache round trips cost."""

    throttle_classes = []


urlpatterns = [
    path(BARE_PATH, BareView.as_view(), name="bench-bare"),
    path(UNTHROTTLED_PATH, UnthrottledView.as_view(), name="bench-bare-unthrottled"),
    path("", include("store.urls")),
]
