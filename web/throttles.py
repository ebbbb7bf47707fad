"""Rate limits on the site's forms, sharing the API's budgets.

A form names one of the API's throttle scopes (settings.REST_FRAMEWORK
["DEFAULT_THROTTLE_RATES"]: review_post, review_vote, review_report, auth, …) and is counted
with the same cache keys as DRF's scoped throttles: the site and the API draw on one budget
per user (per address when signed out).
"""

from django.utils.translation import gettext as _
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle


class FormThrottle(SimpleRateThrottle):
    """A scoped throttle for a site form; ``default_rate`` when the settings name none."""

    def __init__(self, scope: str, default_rate: str | None = None):
        self.scope = scope
        # Read now, not at import time, so that settings overridden in tests apply.
        self.THROTTLE_RATES = {
            **({scope: default_rate} if default_rate else {}),
            **api_settings.DEFAULT_THROTTLE_RATES,
        }
        super().__init__()

    def get_cache_key(self, request, view):
        user = request.user
        ident = user.pk if user.is_authenticated else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


def rate_limited(request, scope: str, default_rate: str | None = None) -> int | None:
    """None when the request may go on (and counts it), else the minutes to wait."""
    throttle = FormThrottle(scope, default_rate)
    if throttle.allow_request(request, None):
        return None
    return max(1, round((throttle.wait() or 60) / 60))


def rate_limit_message(minutes: int) -> str:
    return _("Trop d'envois en peu de temps : réessayez dans %(minutes)s min.") % {
        "minutes": minutes
    }
