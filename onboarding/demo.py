"""Demo data of onboarding for `manage.py load_demo`: a publisher that came in by the site (its
administrator and a member, its approved application as evidence) and an application waiting
in the editors' queue.

Idempotent: existing accounts, publisher and applications are left alone. The logins are
printed with the others (``LOGINS``).
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils import timezone

from catalogue.models import Publisher
from onboarding import identifiers, services
from onboarding.models import Application, Role


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    first_name: str
    last_name: str
    email: str
    role: str


ADMIN = DemoLogin(
    "gerante",
    "gerante-demo",
    "Inès",
    "Moreau",
    "ines@atelier-emploi.example.org",
    "administratrice de l'éditeur « Atelier Emploi Numérique » (équipe : /publier/)",
)
MEMBER = DemoLogin(
    "collegue",
    "collegue-demo",
    "Hugo",
    "Lambert",
    "hugo@atelier-emploi.example.org",
    "membre de l'éditeur « Atelier Emploi Numérique » (propose des applications)",
)
APPLICANT = DemoLogin(
    "candidat",
    "candidat-demo",
    "Yanis",
    "Roux",
    "yanis@cap-metiers.example.org",
    "a demandé à créer « Coopérative Cap Métiers » (en attente : /compte/demandes-editeur/)",
)
LOGINS = [ADMIN, MEMBER, APPLICANT]

PUBLISHER = {
    "name": "Atelier Emploi Numérique",
    "slug": "atelier-emploi-numerique",
    "kind": Publisher.Kind.ASSOCIATION,
    "website": "https://atelier-emploi.example.org",
    "description": "Une association qui conçoit des outils simples pour chercher un emploi.",
}
APPROVED = {
    "name": PUBLISHER["name"],
    "publisher_kind": PUBLISHER["kind"],
    "identifier": "732829320",
    "website": PUBLISHER["website"],
    "contact_email": ADMIN.email,
    "plans": "Un simulateur d'entretien et un carnet de candidatures, sur le web.",
}
PENDING = {
    "name": "Coopérative Cap Métiers",
    "publisher_kind": Publisher.Kind.COMPANY,
    "identifier": "552 100 554 00010",
    "website": "https://cap-metiers.example.org",
    "contact_email": APPLICANT.email,
    "justification": "",
    "plans": "Une application Android de découverte des métiers en vidéo.",
}


def account(login: DemoLogin):
    users = get_user_model().objects
    user = users.filter(username=login.username).first()
    if user is not None:
        return user, False
    return users.create_user(
        username=login.username,
        email=login.email,
        password=login.password,
        first_name=login.first_name,
        last_name=login.last_name,
    ), True


def load_onboarding() -> dict:
    counts = {"created": 0, "unchanged": 0}

    def count(created: bool):
        counts["created" if created else "unchanged"] += 1

    admin, created = account(ADMIN)
    count(created)
    member, created = account(MEMBER)
    count(created)
    applicant, created = account(APPLICANT)
    count(created)

    publisher, created = Publisher.objects.get_or_create(
        slug=PUBLISHER["slug"], defaults={k: v for k, v in PUBLISHER.items() if k != "slug"}
    )
    count(created)
    if created:
        # What the editors' approval would have done, without its mail.
        identifier = identifiers.normalise(APPROVED["identifier"])
        Application.objects.create(
            applicant=admin,
            kind=Application.Kind.CREATE,
            status=Application.Status.APPROVED,
            publisher=publisher,
            siren=identifiers.siren_of(identifier),
            identifier_valid=True,
            domain_matches=True,
            decided_at=timezone.now(),
            **{**APPROVED, "identifier": identifier},
        )
        services.join(publisher, admin, Role.ADMIN)
        services.join(publisher, member, Role.MEMBER)

    if Application.objects.filter(applicant=applicant).exists():
        count(False)
    else:
        services.apply(applicant, kind=Application.Kind.CREATE, **PENDING)
        count(True)
    return counts
