"""Rate limits on writing reviews, votes and reports, on top of the API's anon and user rates.

Each view names its scope (``throttle_scope``: review_post, review_vote, review_report; the rates
are settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]). Only writes count: reading the reviews
of an app costs nothing from the budget for posting one. The counting is web.throttles'.
"""

from web.throttles import AnonRateThrottle, UserRateThrottle, WriteScopedRateThrottle

REVIEW_THROTTLES = [AnonRateThrottle, UserRateThrottle, WriteScopedRateThrottle]
