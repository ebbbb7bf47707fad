"""Demo data of onboarding for `manage.py load_demo`: a publisher of the demo catalogue claimed
through the site (its administrator and a member, the approved claim), and an application to
create a publisher waiting in the editors' queue.

Idempotent: existing accounts, publisher and applications are left alone. The logins are
printed with the others (``LOGINS``).
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils import timezone

from catalogue.models import Publisher
from onboarding import services
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
    "ines@mission-locale.example.org",
    "administratrice de « Mission locale numérique (exemple) » (équipe : /publier/)",
)
MEMBER = DemoLogin(
    "collegue",
    "collegue-demo",
    "Hugo",
    "Lambert",
    "hugo@mission-locale.example.org",
    "membre de « Mission locale numérique (exemple) » (propose des applications)",
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

# A publisher the demo catalogue made (it publishes by a feed), claimed through the site.
CLAIMED_SLUG = "mission-locale-numerique"
CLAIM = {
    "justification": "Directrice de la mission locale ; je gère ses applications et son flux.",
    "plans": "Tenir à jour nos applications par notre flux, en ajouter deux cette année.",
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

    publisher = Publisher.objects.filter(slug=CLAIMED_SLUG).first()
    claimed = Application.objects.filter(applicant=admin, publisher=publisher).exists()
    count(not claimed)
    if publisher is not None and not claimed:
        # What the editors' approval of the claim would have done, without its mail.
        Application.objects.create(
            applicant=admin,
            kind=Application.Kind.CLAIM,
            status=Application.Status.APPROVED,
            publisher=publisher,
            decided_at=timezone.now(),
            **CLAIM,
        )
        services.join(publisher, admin, Role.ADMIN)
        services.join(publisher, member, Role.MEMBER)

    if Application.objects.filter(applicant=applicant).exists():
        count(False)
    else:
        services.apply(applicant, kind=Application.Kind.CREATE, **PENDING)
        count(True)
    return counts
