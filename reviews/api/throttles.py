"""Rate limits on writing reviews, votes and reports, on top of the API's anon and user rates.

Each view names its scope (``throttle_scope``: review_post, review_vote, review_report; the rates
are settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]). Only writes count: reading the reviews
of an app costs nothing from the budget for posting one.
"""

from rest_framework.permissions import SAFE_METHODS
from rest_framework.throttling import AnonRateThrottle, ScopedRateThrottle, UserRateThrottle


class ReviewWriteThrottle(ScopedRateThrottle):
    """ScopedRateThrottle for the write methods only (per user; per address if anonymous)."""

    def allow_request(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        return super().allow_request(request, view)


REVIEW_THROTTLES = [AnonRateThrottle, UserRateThrottle, ReviewWriteThrottle]
