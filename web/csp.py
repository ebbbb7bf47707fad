"""Content-Security-Policy (django-csp): one strict policy for the public site, another for
the Wagtail admin, and the endpoint browsers report violations to.

- ``ScopedCSPMiddleware`` sends settings.CONTENT_SECURITY_POLICY everywhere, except under the
  prefixes of settings.CONTENT_SECURITY_POLICY_SCOPES, which get their own directives (the
  admin keeps the inline scripts and styles Wagtail needs; the API's documentation pages the
  styles their renderers inject).
- Forms may lead elsewhere: a sign-in button posts to the site, which sends the browser on to
  an identity provider, and browsers check ``form-action`` along redirects too. The origins
  the ``CSP_FORM_ACTION_HOOK`` hooks answer are added to every policy that has the directive.
- ``csp_report`` receives the reports (``report-uri``: one JSON ``csp-report`` per violation;
  the Reporting API's list is read too) and logs each on the ``web.csp`` logger as a warning.
  It always answers 204, reads 16 KB at most, and is throttled per address ("csp_report").
"""

import json
import logging

from csp.middleware import CSPMiddleware
from csp.utils import default_config
from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from wagtail import hooks

from web.throttles import client_address, rate_limited

logger = logging.getLogger("web.csp")
MAX_REPORT_BYTES = 16 * 1024
REPORT_FIELDS = ("document-uri", "violated-directive", "effective-directive", "blocked-uri")
# Hooks answering the origins (``https://host``) forms may be sent on to after the site.
CSP_FORM_ACTION_HOOK = "emploistore_csp_form_action"


class ScopedCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.config is None:
            scopes = getattr(settings, "CONTENT_SECURITY_POLICY_SCOPES", {})
            for prefix, directives in scopes.items():
                if request.path_info.startswith(prefix):
                    parts.config = default_config(directives)
                    break
        if not report_only:
            self.add_form_action_origins(parts)
        return parts

    @staticmethod
    def add_form_action_origins(parts) -> None:
        directives = parts.config
        if directives is None:
            directives = getattr(settings, "CONTENT_SECURITY_POLICY", {}).get("DIRECTIVES", {})
        if not directives.get("form-action"):
            return  # no directive: forms may go anywhere already
        origins = sorted(
            {origin for hook in hooks.get_hooks(CSP_FORM_ACTION_HOOK) for origin in hook()}
        )
        if origins:
            update = dict(parts.update or {})
            update["form-action"] = [*update.get("form-action", []), *origins]
            parts.update = update


def reports_in(body: bytes) -> list[dict]:
    """The violations of a report body (report-uri's object, or the Reporting API's list)."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return []
    entries = data if isinstance(data, list) else [data]
    found = []
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        report = entry.get("csp-report") or entry.get("body")
        if isinstance(report, dict):
            found.append(report)
    return found


@csrf_exempt
@require_POST
def csp_report(request):
    if rate_limited(request, "csp_report", "60/minute"):
        return HttpResponse(status=204)
    body = request.read(MAX_REPORT_BYTES + 1)
    if len(body) > MAX_REPORT_BYTES:
        return HttpResponse(status=204)
    for report in reports_in(body):
        details = {
            field: str(report.get(field) or report.get(camel(field)) or "")[:500]
            for field in REPORT_FIELDS
        }
        logger.warning(
            "CSP violation: %(violated-directive)s blocked %(blocked-uri)s on %(document-uri)s",
            details,
            extra={"csp_report": details, "client": client_address(request)},
        )
    return HttpResponse(status=204)


def camel(field: str) -> str:
    """The Reporting API's spelling of a report-uri field (blocked-uri → blockedURL)."""
    names = {
        "document-uri": "documentURL",
        "blocked-uri": "blockedURL",
        "violated-directive": "effectiveDirective",
        "effective-directive": "effectiveDirective",
    }
    return names[field]
