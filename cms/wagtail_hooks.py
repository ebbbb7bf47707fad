"""The admin dashboard: the publisher space for members, charts and queues for editors.

The panels live in cms/dashboard.py; this module only registers them. They supersede the
reviews' two count panels ("N avis en attente de modération", "N avis sans réponse"), which
the dashboard now shows in its editors' queues and in each publisher's space.
"""

from wagtail import hooks

from cms import dashboard


@hooks.register("construct_homepage_panels")
def add_dashboard_panels(request, panels):
    panels.extend(dashboard.panels_for(request))
