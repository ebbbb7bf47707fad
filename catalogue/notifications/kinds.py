"""Every kind of notification: who gets it, whether a mail is sent by default, and whether its
mails go one by one or grouped in a digest. The texts are in templates named after the kind:
``notifications/mail/<kind>.txt`` / ``.html`` (and ``<digest>_digest`` for digests)."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

MEMBERS, EDITORS, AUTHORS, FAVOURITES = "members", "editors", "authors", "favourites"
IMMEDIATE, HOURLY, DAILY, WEEKLY = "immediate", "hourly", "daily", "weekly"


@dataclass(frozen=True)
class Kind:
    key: str
    label: object
    audience: str
    email_by_default: bool
    delivery: str = IMMEDIATE  # or a digest's frequency: the mails of a period are grouped


KINDS = {
    kind.key: kind
    for kind in [
        Kind("new_review", _("Un nouvel avis sur une de nos applications"), MEMBERS, True),
        Kind("problem_report", _("Un signalement sur une de nos applications"), MEMBERS, True),
        Kind("draft_approved", _("Un brouillon validé par l'équipe éditoriale"), MEMBERS, True),
        Kind("draft_sent_back", _("Un brouillon renvoyé par l'équipe éditoriale"), MEMBERS, True),
        Kind("feed_failed", _("Un flux en échec ou retenu"), MEMBERS, True),
        Kind("weekly_figures", _("Le résumé hebdomadaire de nos chiffres"), MEMBERS, True, WEEKLY),
        Kind("draft_submitted", _("Des brouillons à valider"), EDITORS, True, HOURLY),
        Kind(
            "review_held", _("Des avis retenus par les règles de modération"), EDITORS, True, HOURLY
        ),
        Kind("mediator_request", _("Des demandes de rôle de conseiller"), EDITORS, True, HOURLY),
        Kind("review_moderated", _("Mon avis refusé ou retiré"), AUTHORS, True),
        Kind("review_reply", _("Une réponse de l'éditeur à mon avis"), AUTHORS, True),
        Kind(
            "favourite_update",
            _("Une nouvelle version d'une de mes applications favorites"),
            FAVOURITES,
            False,
            DAILY,
        ),
    ]
}
