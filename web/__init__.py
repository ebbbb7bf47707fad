"""Web plumbing shared by every app's pages and API: it imports none of the apps.

- ``web.problems``: the API's error body (RFC 9457 problem documents) and its handlers;
- ``web.pagination``: page parameters and the paginated envelope of API lists;
- ``web.throttles``: rate limits for the site's forms, on the API's budgets;
- ``web.forms``: DSFR classes on Django form widgets;
- ``web.charts`` and ``web.dashboard``: the admin dashboard's parts (charts, queues,
  publisher-space sections) that apps register through Wagtail hooks.

See docs/architecture.md for where it sits in the layers.
"""
