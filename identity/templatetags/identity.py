from django import template

from identity import oidc

register = template.Library()


@register.inclusion_tag("identity/buttons.html", takes_context=True)
def identity_buttons(context, next_url="", only=""):
    """The sign-in buttons of the configured providers (none configured: nothing)."""
    names = [name for name in oidc.configured() if not only or name == only]
    return {
        "providers": names,
        "next": next_url,
        "only": only,
        "csrf_token": context.get("csrf_token"),
        "request": context.get("request"),
    }
