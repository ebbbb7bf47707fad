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


@register.inclusion_tag("identity/admin_button.html", takes_context=True)
def identity_admin_button(context, next_url=""):
    """ProConnect on the admin's sign-in page (editors, publisher members, mediators)."""
    return {
        "configured": oidc.PROCONNECT in oidc.configured(),
        "next": next_url or "/admin/",
        "csrf_token": context.get("csrf_token"),
    }
