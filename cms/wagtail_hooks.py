"""The admin dashboard: the publisher space for members, queues and charts for editors.

cms/dashboard.py assembles the parts other apps register (web.dashboard); this module only
adds its panels to Wagtail's home page.
"""

from wagtail import hooks

from cms import dashboard


@hooks.register("construct_homepage_panels")
def add_dashboard_panels(request, panels):
    panels.extend(dashboard.panels_for(request))
