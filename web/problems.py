"""Every API error is one JSON shape, a problem document in the spirit of RFC 9457.

    {"type": "urn:emploi-store:error:validation", "title": "Données invalides", "status": 400,
     "detail": "Paramètres invalides : page_size.", "errors": {"page_size": ["…"]}}

- ``type`` is a stable identifier of the kind of problem, for programs: a URN
  ``urn:emploi-store:error:<code>`` (RFC 9457 allows a non-resolvable URI; it never changes with
  the deployment's host name). The codes are ``ERROR_TYPES`` below.
- ``title`` names the kind of problem and ``detail`` explains this occurrence, for people, in the
  request's language (French by default, English with ``Accept-Language: en``).
- ``errors`` maps a field or query parameter to its messages; it is always present (empty when
  the problem is not about fields). Messages not about one field are under
  ``non_field_errors``; nested fields are dotted (``listings.0.url``).

The body is served as ``application/json`` (what clients ask for), with the response's own
headers kept: ``WWW-Authenticate`` on 401, ``Allow`` on 405, ``Retry-After`` on 429.
Anything that is not an API exception becomes a logged JSON 500: an API client never sees an
HTML error page.
"""

import logging

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView, set_rollback
from rest_framework.views import exception_handler as drf_exception_handler

logger = logging.getLogger("django.request")

TYPE_PREFIX = "urn:emploi-store:error:"

# code → title. The titles are translated when a response is built.
ERROR_TYPES = {
    "validation": gettext_lazy("Données invalides"),
    "parse-error": gettext_lazy("Requête illisible"),
    "bad-request": gettext_lazy("Requête incorrecte"),
    "not-authenticated": gettext_lazy("Authentification requise"),
    "authentication-failed": gettext_lazy("Authentification refusée"),
    "permission-denied": gettext_lazy("Action non autorisée"),
    "not-found": gettext_lazy("Ressource introuvable"),
    "method-not-allowed": gettext_lazy("Méthode non autorisée"),
    "conflict": gettext_lazy("Conflit"),
    "not-acceptable": gettext_lazy("Format de réponse non disponible"),
    "unsupported-media-type": gettext_lazy("Format de requête non pris en charge"),
    "throttled": gettext_lazy("Trop de requêtes"),
    "server-error": gettext_lazy("Erreur interne"),
    "service-unavailable": gettext_lazy("Service momentanément indisponible"),
}

_CODE_BY_EXCEPTION = (
    (exceptions.ValidationError, "validation"),
    (exceptions.ParseError, "parse-error"),
    (exceptions.NotAuthenticated, "not-authenticated"),
    (exceptions.AuthenticationFailed, "authentication-failed"),
    (exceptions.PermissionDenied, "permission-denied"),
    (exceptions.NotFound, "not-found"),
    (exceptions.MethodNotAllowed, "method-not-allowed"),
    (exceptions.NotAcceptable, "not-acceptable"),
    (exceptions.UnsupportedMediaType, "unsupported-media-type"),
    (exceptions.Throttled, "throttled"),
)

_CODE_BY_STATUS = {
    400: "bad-request",
    401: "not-authenticated",
    403: "permission-denied",
    404: "not-found",
    405: "method-not-allowed",
    406: "not-acceptable",
    415: "unsupported-media-type",
    429: "throttled",
    503: "service-unavailable",
}


def problem(code: str, status_code: int, detail, errors=None) -> dict:
    """The error body (also usable by views that answer an error without raising)."""
    return {
        "type": TYPE_PREFIX + code,
        "title": str(ERROR_TYPES[code]),
        "status": status_code,
        "detail": str(detail),
        "errors": errors or {},
    }


def exception_handler(exc, context):
    """REST_FRAMEWORK["EXCEPTION_HANDLER"]: the problem document for any exception."""
    # Django's own 404 and 403 carry developer messages ("No AppPage matches the given
    # query."): answer DRF's translated ones instead.
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return server_error_response(exc, context)

    code = _code_for(exc, response.status_code)
    if isinstance(exc, exceptions.ValidationError):
        errors = flatten_errors(exc.detail)
        detail = validation_summary(errors)
    else:
        errors = {}
        detail = _message(getattr(exc, "detail", "")) or ERROR_TYPES[code]
    response.data = problem(code, response.status_code, detail, errors)
    return response


def server_error_response(exc, context):
    """A JSON 500 for an unexpected exception, logged with its traceback like Django does."""
    request = context.get("request")
    logger.error(
        "Internal Server Error: %s",
        getattr(request, "path", "?"),
        exc_info=(type(exc), exc, exc.__traceback__),
        extra={"status_code": 500, "request": getattr(request, "_request", request)},
    )
    set_rollback()
    body = problem(
        "server-error",
        status.HTTP_500_INTERNAL_SERVER_ERROR,
        _("Une erreur inattendue s'est produite ; elle a été signalée à l'équipe."),
    )
    return Response(body, status=status.HTTP_500_INTERNAL_SERVER_ERROR)


def _code_for(exc, status_code: int) -> str:
    for exception_class, code in _CODE_BY_EXCEPTION:
        if isinstance(exc, exception_class):
            return code
    if status_code in _CODE_BY_STATUS:
        return _CODE_BY_STATUS[status_code]
    return "server-error" if status_code >= 500 else "bad-request"


def _message(detail) -> str:
    """One message out of an exception's detail (a string, a list or a dict)."""
    if isinstance(detail, dict):
        detail = next(iter(detail.values()), "")
    if isinstance(detail, list | tuple):
        detail = detail[0] if detail else ""
        return _message(detail)
    return str(detail)


def flatten_errors(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested validation detail as ``{"field": [messages]}`` with dotted paths."""
    non_field_key = api_settings.NON_FIELD_ERRORS_KEY
    errors: dict[str, list[str]] = {}

    def add(key: str, message) -> None:
        errors.setdefault(key or non_field_key, []).append(str(message))

    def walk(node, path: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, f"{path}.{key}" if path else str(key))
        elif isinstance(node, list | tuple):
            for position, item in enumerate(node):
                if isinstance(item, dict | list | tuple):
                    # A list of items (a ListSerializer's errors): each item has its index.
                    walk(item, f"{path}.{position}" if path else str(position))
                else:
                    add(path, item)
        else:
            add(path, node)

    walk(detail, prefix)
    return errors


def validation_summary(errors: dict[str, list[str]]) -> str:
    """The ``detail`` of a validation error: the fields at fault, by name."""
    non_field_key = api_settings.NON_FIELD_ERRORS_KEY
    fields = [name for name in errors if name != non_field_key]
    if fields:
        return _("Paramètres invalides : %(fields)s.") % {"fields": ", ".join(fields)}
    messages = errors.get(non_field_key)
    return messages[0] if messages else _("La requête est invalide.")


class ErrorSerializer(serializers.Serializer):
    """Toute erreur de l'API (RFC 9457) : type, intitulé, statut, explication, erreurs par champ."""

    type = serializers.CharField(
        help_text=f"Identifiant stable du problème : {TYPE_PREFIX}<code>, codes : "
        + ", ".join(ERROR_TYPES)
        + "."
    )
    title = serializers.CharField(help_text="Intitulé du problème, dans la langue demandée.")
    status = serializers.IntegerField(help_text="Code HTTP.")
    detail = serializers.CharField(help_text="Explication de cette occurrence.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Messages par champ ou paramètre (non_field_errors : messages généraux).",
    )

    class Meta:
        ref_name = "Error"


@extend_schema(exclude=True)
class NotFoundView(APIView):
    """The last route under /api/v1/: whatever matched nothing is a JSON 404, never HTML."""

    authentication_classes = []
    permission_classes = [AllowAny]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        raise exceptions.NotFound(_("Aucune ressource de l'API à cette adresse."))


_not_found_view = NotFoundView.as_view()
NOT_FOUND_URL_NAME = "not-found"


@csrf_exempt
def not_found(request, rest=""):
    """JSON 404; a GET without its final slash is redirected, as APPEND_SLASH would have."""
    if request.method in ("GET", "HEAD") and not request.path_info.endswith("/"):
        try:
            match = resolve(request.path_info + "/")
        except Resolver404:
            match = None
        if match is not None and match.url_name != NOT_FOUND_URL_NAME:
            return HttpResponsePermanentRedirect(request.get_full_path(force_append_slash=True))
    return _not_found_view(request)
