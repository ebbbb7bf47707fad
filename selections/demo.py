"""Demo selections for `manage.py load_demo`: a mediator account with one shared selection, and
two ready-made paths of the editorial team.

Idempotent: what exists (the account, a selection or path of that title) is left alone, so a
second run writes nothing; the shared selection keeps its link. Apps missing from the catalogue
are skipped. The link is printed with the logins (``load_demo``).
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from catalogue.models import AppPage
from selections import services
from selections.models import Mediator, ReadyMadePath, Selection, SelectionItem


@dataclass(frozen=True)
class DemoMediator:
    username: str
    password: str
    first_name: str
    last_name: str
    organisation: str


MEDIATOR = DemoMediator("mediateur", "mediateur-demo", "Nadia", "Haddad", "Mission locale de Lyon")

SHARED_SELECTION = {
    "title": "Pour reprendre votre recherche",
    "message": "Bonjour, voici les trois applications dont nous avons parlé. Commencez par "
    "votre CV, puis préparez l'entretien de jeudi. À bientôt !",
    "items": [
        ("cv-facile-a-lire", "Pour refaire votre CV avec les exemples que nous avons vus."),
        ("offres-d-emploi", "Les offres près de chez vous : activez une alerte « vente »."),
        ("pret-pour-l-entretien", "Pour vous entraîner avant jeudi."),
    ],
}

PATHS = [
    {
        "title": "Je cherche mon premier emploi",
        "title_en": "I am looking for my first job",
        "message": "Trois étapes pour un premier emploi : connaître les métiers, faire son CV, "
        "trouver les offres.",
        "message_en": "Three steps to a first job: know the trades, write your CV, find offers.",
        "items": [
            ("boussole-des-metiers", "Pour trouver les métiers qui vous ressemblent."),
            ("cv-express", "Un premier CV en quelques minutes."),
            ("alternance-express", "Les contrats en alternance près de chez vous."),
        ],
    },
    {
        "title": "Je crée mon entreprise",
        "title_en": "I am starting my business",
        "message": "De l'idée au statut : les outils pour construire et lancer votre projet.",
        "message_en": "From the idea to the legal status: tools to build and launch your project.",
        "items": [
            ("parcours-creation", "Les étapes de la création, une à une."),
            ("business-plan-facile", "Pour chiffrer votre projet."),
            ("simulateur-de-cotisations", "Pour savoir ce que vous paierez."),
            ("mon-compte-micro-entrepreneur", "Pour déclarer votre activité."),
        ],
    },
]


def apps_of(items) -> list[tuple[AppPage, str]]:
    by_slug = {app.slug: app for app in AppPage.objects.visible().filter(slug__in=dict(items))}
    return [(by_slug[slug], note) for slug, note in items if slug in by_slug]


def load_mediator():
    """The mediator account, its role (granted) and its shared selection; (user, created)."""
    users = get_user_model().objects
    user = users.filter(username=MEDIATOR.username).first()
    created = user is None
    if created:
        user = users.create_user(
            username=MEDIATOR.username,
            email=f"{MEDIATOR.username}@example.org",
            password=MEDIATOR.password,
            first_name=MEDIATOR.first_name,
            last_name=MEDIATOR.last_name,
        )
    if not Mediator.objects.filter(user=user).exists():
        services.grant_mediator(user, MEDIATOR.organisation)
    return user, created


def load_selections() -> dict:
    """Create what is missing; returns counts and the shared selection's link."""
    counts = {"created": 0, "unchanged": 0}
    user, created = load_mediator()
    counts["created" if created else "unchanged"] += 1

    selection = Selection.objects.of_mediator(user).filter(title=SHARED_SELECTION["title"]).first()
    if selection is None:
        selection = services.create_selection(
            user,
            title=SHARED_SELECTION["title"],
            message=SHARED_SELECTION["message"],
            items=apps_of(SHARED_SELECTION["items"]),
        )
        services.share(selection, services.link_days_max())
        selection.refresh_from_db()
        counts["created"] += 1
    else:
        counts["unchanged"] += 1

    for spec in PATHS:
        if ReadyMadePath.objects.filter(title=spec["title"]).exists():
            counts["unchanged"] += 1
            continue
        path = ReadyMadePath.objects.create(
            title=spec["title"],
            title_en=spec["title_en"],
            message=spec["message"],
            message_en=spec["message_en"],
            is_published=True,
        )
        SelectionItem.objects.bulk_create(
            SelectionItem(selection=path, app=app, note=note, sort_order=position)
            for position, (app, note) in enumerate(apps_of(spec["items"]))
        )
        counts["created"] += 1

    link = ""
    if selection.token and selection.link_is_open():
        link = f"{settings.SITE_URL}{reverse('selection_shared', args=[selection.token])}"
    return {**counts, "link": link}
