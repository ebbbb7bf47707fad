"""The header's bell: ``{% unread_notifications as count %}`` (cached per person)."""

from django import template

from catalogue.notifications.services import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    user = getattr(context.get("request"), "user", None)
    return unread_count(user) if user is not None and user.is_authenticated else 0
