"""What each kind of notification says: a subject and a few paragraphs, in the language active
when it is called (mails: the recipient's; the in-site list: the reader's). ``params`` come
from the notification; user text in them (names, reasons, replies) is escaped by templates."""

from dataclasses import dataclass, field

from django.utils.translation import gettext, ngettext

from catalogue.models import AppProblemReport


@dataclass
class Message:
    subject: str
    paragraphs: list = field(default_factory=list)
    action: str = ""  # the link's label


def report_reason(key: str) -> str:
    reasons = dict(AppProblemReport.Reason.choices)
    return str(reasons.get(key, key))


def describe(kind: str, params: dict) -> Message:
    app = params.get("app", "")
    builders = {
        "new_review": lambda: Message(
            gettext("Nouvel avis sur %(app)s") % {"app": app},
            [
                gettext("%(rating)s/5 — « %(title)s »")
                % {"rating": params.get("rating", ""), "title": params.get("title", "")}
            ],
            gettext("Voir l'avis et y répondre"),
        ),
        "problem_report": lambda: Message(
            gettext("Signalement sur %(app)s") % {"app": app},
            [report_reason(params.get("reason", ""))],
            gettext("Voir le signalement"),
        ),
        "draft_approved": lambda: Message(
            gettext("Brouillon validé : %(app)s") % {"app": app},
            [gettext("L'équipe éditoriale a validé et publié vos modifications.")],
            gettext("Voir l'application"),
        ),
        "draft_sent_back": lambda: Message(
            gettext("Brouillon renvoyé : %(app)s") % {"app": app},
            [
                gettext("L'équipe éditoriale vous demande des modifications."),
                gettext("Son commentaire : %(comment)s")
                % {"comment": params.get("comment") or gettext("(aucun)")},
            ],
            gettext("Modifier le brouillon"),
        ),
        "feed_failed": lambda: Message(
            gettext("Flux en échec : %(feed)s") % {"feed": params.get("feed", "")},
            [params.get("message", "")],
            gettext("Voir le passage du flux"),
        ),
        "weekly_figures": lambda: Message(
            gettext("Vos chiffres de la semaine : %(publisher)s")
            % {"publisher": params.get("publisher", "")},
            [
                gettext(
                    "%(views)s vues, %(installs)s clics d'installation, %(visitors)s visiteurs "
                    "distincts par jour en moyenne."
                )
                % {
                    "views": params.get("views", 0),
                    "installs": params.get("installs", 0),
                    "visitors": params.get("visitors", 0),
                }
            ],
            gettext("Voir les statistiques"),
        ),
        "draft_submitted": lambda: Message(
            gettext("Brouillon à valider : %(app)s") % {"app": app}, [], gettext("Valider")
        ),
        "review_held": lambda: Message(
            gettext("Avis retenu sur %(app)s") % {"app": app}, [], gettext("Modérer")
        ),
        "mediator_request": lambda: Message(
            gettext("Demande de rôle de conseiller : %(organisation)s")
            % {"organisation": params.get("organisation", "")},
            [],
            gettext("Examiner la demande"),
        ),
        "review_moderated": lambda: Message(
            gettext("Votre avis sur %(app)s n'est pas publié") % {"app": app},
            [
                gettext("L'équipe éditoriale a refusé ou retiré votre avis."),
                gettext("Motif : %(reason)s")
                % {"reason": params.get("reason") or gettext("(aucun)")},
            ],
            gettext("Voir mon avis"),
        ),
        "review_reply": lambda: Message(
            gettext("L'éditeur de %(app)s a répondu à votre avis") % {"app": app},
            [params.get("reply", "")],
            gettext("Lire la réponse"),
        ),
        "favourite_update": lambda: Message(
            gettext("Nouvelle version de %(app)s : %(version)s")
            % {"app": app, "version": params.get("version", "")},
            [],
            gettext("Voir l'application"),
        ),
    }
    return builders[kind]()


DIGEST_SUBJECTS = {
    "draft_submitted": lambda n: ngettext(
        "%(count)d brouillon à valider", "%(count)d brouillons à valider", n
    ),
    "review_held": lambda n: ngettext(
        "%(count)d avis retenu par les règles de modération",
        "%(count)d avis retenus par les règles de modération",
        n,
    ),
    "mediator_request": lambda n: ngettext(
        "%(count)d demande de rôle de conseiller", "%(count)d demandes de rôle de conseiller", n
    ),
    "favourite_update": lambda n: ngettext(
        "%(count)d nouveauté dans vos applications favorites",
        "%(count)d nouveautés dans vos applications favorites",
        n,
    ),
}


def describe_digest(kind: str, notifications: list) -> Message:
    """Several notifications of one kind, grouped in one mail: one line each."""
    count = len(notifications)
    return Message(
        DIGEST_SUBJECTS[kind](count) % {"count": count},
        [describe(kind, notification.params).subject for notification in notifications],
    )
