"""What the legal pages say that must be true, computed from the site itself:

- ``footer_links()``: the mandatory links of the DSFR footer (accessibility with its compliance
  status, legal notice, personal data, cookies, site plan), cached and forgotten when a page is
  published, unpublished, moved or deleted (cms.receivers);
- ``retention_periods()``: how long each kind of data is kept (settings.RETENTION, which the
  purge tasks use);
- ``cookies()``: the cookies the site sets, named by the settings that set them (a test checks
  that a visitor's browser holds no other);
- ``site_plan()``: the human site plan.
"""

from django.conf import settings
from django.core.cache import cache
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _

from catalogue import labels
from catalogue.models import CatalogueIndexPage, Category, Collection

FOOTER_CACHE_KEY = "cms:legal-footer:v1:{language}"
FOOTER_CACHE_TIMEOUT = 3600  # seconds; publishing or moving a page forgets it at once
# The DSFR footer's mandatory links, in its order.
FOOTER_ORDER = ["sitemap", "accessibility", "legal_notice", "personal_data", "cookies"]
FOOTER_LABELS = {
    "legal_notice": _("Mentions légales"),
    "personal_data": _("Données personnelles"),
    "cookies": _("Gestion des cookies"),
    "sitemap": _("Plan du site"),
}
COMPLIANCE_LABELS = {
    "none": _("Accessibilité : non conforme"),
    "partial": _("Accessibilité : partiellement conforme"),
    "full": _("Accessibilité : totalement conforme"),
}


def footer_links() -> list[dict]:
    """[{kind, label, url}] in the DSFR order; a page that is not live is left out."""
    language = get_language() or settings.LANGUAGE_CODE
    key = FOOTER_CACHE_KEY.format(language=language)
    links = cache.get(key)
    if links is None:
        links = load_footer_links()
        cache.set(key, links, FOOTER_CACHE_TIMEOUT)
    return links


def load_footer_links() -> list[dict]:
    from cms.models import LegalPage  # cms.models imports this module's callers (blocks)

    pages = {
        page.kind: page for page in LegalPage.objects.live().only("kind", "compliance", "url_path")
    }
    links = []
    for kind in FOOTER_ORDER:
        page = pages.get(kind)
        if page is None:
            continue
        label = (
            COMPLIANCE_LABELS.get(page.compliance, COMPLIANCE_LABELS["none"])
            if kind == "accessibility"
            else FOOTER_LABELS[kind]
        )
        links.append({"kind": kind, "label": str(label), "url": page.get_url()})
    return links


def forget_footer_links() -> None:
    cache.delete_many(
        [FOOTER_CACHE_KEY.format(language=code) for code, _name in settings.LANGUAGES]
    )


def legal_page_url(kind: str) -> str | None:
    return next((link["url"] for link in footer_links() if link["kind"] == kind), None)


# --- Retention ----------------------------------------------------------------------------


def retention_periods() -> list[dict]:
    """What is kept, for how long, and what happens then; from settings.RETENTION."""
    retention = settings.RETENTION
    days = retention["UNVERIFIED_ACCOUNT_DAYS"]
    report_months = retention["PROBLEM_REPORT_EMAIL_MONTHS"]
    sync_months = retention["SYNC_RUN_DETAIL_MONTHS"]
    link_days = retention["SELECTION_LINK_DAYS"]
    return [
        {
            "data": gettext("Votre compte (identifiant, nom, adresse e-mail, préférences)"),
            "period": gettext("Jusqu'à ce que vous le supprimiez"),
            "then": gettext(
                "Supprimé à votre demande (« Mon compte » → « Supprimer mon compte »), avec vos "
                "favoris, vos votes et vos signalements ; vos avis sont supprimés ou gardés "
                "anonymes, selon votre choix."
            ),
        },
        {
            "data": gettext("Compte dont l'adresse e-mail n'a jamais été confirmée"),
            "period": ngettext(
                "%(count)d jour après l'envoi du lien de confirmation",
                "%(count)d jours après l'envoi du lien de confirmation",
                days,
            )
            % {"count": days},
            "then": gettext("Le compte est supprimé."),
        },
        {
            "data": gettext("Adresse e-mail laissée avec un signalement de problème"),
            "period": ngettext(
                "%(count)d mois après le signalement",
                "%(count)d mois après le signalement",
                report_months,
            )
            % {"count": report_months},
            "then": gettext("L'adresse est effacée ; le signalement reste, sans elle."),
        },
        {
            "data": gettext(
                "Détail des synchronisations des flux des éditeurs (messages, erreurs, changements)"
            ),
            "period": ngettext(
                "%(count)d mois après la synchronisation",
                "%(count)d mois après la synchronisation",
                sync_months,
            )
            % {"count": sync_months},
            "then": gettext("Le détail est effacé ; restent la date, le statut et les compteurs."),
        },
        {
            "data": gettext(
                "Sélection préparée par un médiateur (titre, message, applications, notes)"
            ),
            "period": gettext("Jusqu'à ce que le médiateur la supprime ou supprime son compte"),
            "then": ngettext(
                "Le jeton de son lien partagé est effacé %(count)d jour après l'expiration ou le "
                "retrait du lien.",
                "Le jeton de son lien partagé est effacé %(count)d jours après l'expiration ou le "
                "retrait du lien.",
                link_days,
            )
            % {"count": link_days},
        },
        {
            "data": gettext("Session de connexion (cookie de session)"),
            "period": duration(settings.SESSION_COOKIE_AGE),
            "then": gettext("La session expire ; « Se déconnecter » l'efface aussitôt."),
        },
    ]


def duration(seconds: int | None) -> str:
    """A cookie's or a session's lifetime in words: "2 semaines", "1 an", "la session"."""
    if seconds is None:
        return gettext("Jusqu'à la fermeture du navigateur")
    days = seconds // 86400
    if days and days % 365 == 0:
        years = days // 365
        return ngettext("%(count)d an", "%(count)d ans", years) % {"count": years}
    if days and days % 7 == 0:
        weeks = days // 7
        return ngettext("%(count)d semaine", "%(count)d semaines", weeks) % {"count": weeks}
    if days:
        return ngettext("%(count)d jour", "%(count)d jours", days) % {"count": days}
    hours = max(1, seconds // 3600)
    return ngettext("%(count)d heure", "%(count)d heures", hours) % {"count": hours}


# --- Cookies ------------------------------------------------------------------------------


def cookies() -> list[dict]:
    """Every cookie the site may set, each strictly necessary to a service asked for: no
    consent banner is needed (and none is shown). tests/functional/test_privacy.py checks that a
    browser walking the site holds no other cookie."""
    return [
        {
            "name": settings.SESSION_COOKIE_NAME,
            "purpose": gettext(
                "Vous garder connecté(e) d'une page à l'autre ; porte aussi les messages de "
                "confirmation affichés après une action."
            ),
            "lifetime": duration(settings.SESSION_COOKIE_AGE),
            "when": gettext("À la connexion, ou quand un message doit être affiché"),
        },
        {
            "name": settings.CSRF_COOKIE_NAME,
            "purpose": gettext(
                "Protéger vos formulaires contre la falsification de requête (CSRF)."
            ),
            "lifetime": duration(settings.CSRF_COOKIE_AGE),
            "when": gettext("Sur les pages qui contiennent un formulaire"),
        },
        {
            "name": settings.LANGUAGE_COOKIE_NAME,
            "purpose": gettext("Retenir la langue que vous avez choisie (français ou anglais)."),
            "lifetime": duration(settings.LANGUAGE_COOKIE_AGE),
            "when": gettext("Quand vous changez de langue"),
        },
    ]


def cookie_names() -> set[str]:
    return {cookie["name"] for cookie in cookies()}


# --- Site plan ----------------------------------------------------------------------------


def site_plan(request=None) -> list[dict]:
    """[{title, links: [{title, url, children}]}]: the catalogue (universes and categories,
    collections), the editorial pages, the account, the information pages."""
    from cms.models import ContentPage  # see load_footer_links

    def named(name, title, **kwargs):
        try:
            return {"title": title, "url": reverse(name, kwargs=kwargs or None), "children": []}
        except NoReverseMatch:
            return None

    catalogue = CatalogueIndexPage.objects.live().first()
    catalogue_url = catalogue.get_url(request) if catalogue is not None else None
    universes = []
    if catalogue_url:
        categories = list(Category.objects.order_by("sort_order", "name", "pk"))
        children = {}
        for category in categories:
            children.setdefault(category.parent_id, []).append(category)

        def category_url(category):
            return catalogue_url + catalogue.reverse_subpage(
                "category", kwargs={"slug": category.slug}
            )

        for universe in children.get(None, []):
            universes.append(
                {
                    "title": labels.localized_name(universe),
                    "url": category_url(universe),
                    "children": [
                        {"title": labels.localized_name(child), "url": category_url(child)}
                        for child in children.get(universe.pk, [])
                    ],
                }
            )
    collections = [
        {"title": collection.name, "url": reverse("collection", kwargs={"slug": collection.slug})}
        for collection in Collection.objects.order_by("sort_order", "name", "pk")
    ]
    catalogue_links = [
        {"title": gettext("Accueil"), "url": "/", "children": []},
        named("search", gettext("Toutes les applications")),
    ]
    if catalogue_url:
        catalogue_links.append(
            {"title": gettext("Les univers"), "url": catalogue_url, "children": universes}
        )
    if collections:
        catalogue_links.append(
            {"title": gettext("Les collections"), "url": None, "children": collections}
        )
    content = [
        {"title": page.display_title, "url": page.get_url(request), "children": []}
        for page in ContentPage.objects.live().public().order_by("path")
    ]
    account = [
        named("account_home", gettext("Mon compte")),
        named("account_favourites", gettext("Mes favoris")),
        named("account_reviews", gettext("Mes avis")),
        named("account_data", gettext("Mes données")),
        named("account_login", gettext("Se connecter")),
        named("account_signup", gettext("Créer un compte")),
    ]
    information = [
        {"title": link["label"], "url": link["url"], "children": []} for link in footer_links()
    ] + [named("api-docs", gettext("API du catalogue"))]
    sections = [
        {"title": gettext("Le catalogue"), "links": catalogue_links},
        {"title": gettext("Pages éditoriales"), "links": content},
        {"title": gettext("Votre compte"), "links": account},
        {"title": gettext("Informations"), "links": information},
    ]
    for section in sections:
        section["links"] = [link for link in section["links"] if link]
    return [section for section in sections if section["links"]]
