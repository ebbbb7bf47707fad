"""Demo reviews for `manage.py load_demo`: published ones, a few held for moderation, replies.

Deterministic (seeded by the app's slug) and idempotent: a review that exists for an (app,
author) pair is left alone, so a second run writes nothing. Reviews go through
reviews.services like any other, so the rating figures and the search index follow.
"""

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db.models import F
from django.utils import timezone

from catalogue.models import AppPage
from reviews import services
from reviews.models import Review, ReviewReply

# Reviewers: accounts without a usable password (they exist only to have written reviews).
REVIEWERS = [
    ("lea.moreau", "Léa", "Moreau"),
    ("karim.benali", "Karim", "Benali"),
    ("sophie.laurent", "Sophie", "Laurent"),
    ("thomas.girard", "Thomas", "Girard"),
    ("ines.fontaine", "Inès", "Fontaine"),
    ("julien.roux", "Julien", "Roux"),
    ("amina.diallo", "Amina", "Diallo"),
    ("marc.lefevre", "Marc", "Lefèvre"),
    ("claire.dumont", "Claire", "Dumont"),
    ("yanis.mercier", "Yanis", "Mercier"),
    ("nathalie.blanc", "Nathalie", "Blanc"),
    ("hugo.garnier", "Hugo", "Garnier"),
]

# (rating, title, body): plain opinions, published at once.
OPINIONS = [
    (5, "Indispensable", "Clair, rapide, et j'ai trouvé ce que je cherchais en quelques minutes."),
    (5, "Très utile", "M'a aidée à préparer mon entretien : les conseils sont concrets."),
    (4, "Bien pensé", "Simple à prendre en main. Il manque un mode hors connexion."),
    (4, "Pratique au quotidien", "Les alertes sont pertinentes, l'interface est agréable."),
    (4, "", "Bon outil, quelques lenteurs le matin mais rien de bloquant."),
    (3, "Correct", "Fait le travail, mais les filtres pourraient être plus fins."),
    (3, "Mitigé", "Des informations utiles, une navigation parfois confuse sur mobile."),
    (2, "Décevant", "Beaucoup d'offres expirées et pas de moyen de les masquer."),
    (2, "", "L'inscription est longue et l'application se ferme parfois."),
    (1, "Ne fonctionne pas chez moi", "Impossible de me connecter depuis la dernière version."),
]
OPINION_WEIGHTS = [5, 5, 4, 4, 3, 2, 2, 1, 1, 1]
# Held by the moderation policy (a link, a phone number): editors find them in the queue.
HELD = [
    (5, "Super site", "Allez voir aussi www.offres-express.com, plein d'annonces !"),
    (1, "Contactez-moi", "Je peux vous aider à remplir le dossier, appelez le 06 12 34 56 78."),
]
REPLIES = {
    1: "Merci pour votre retour. La connexion est rétablie depuis la version 2.4.1 ; "
    "si le problème persiste, écrivez-nous depuis la rubrique Aide.",
    2: "Merci ! Le masquage des offres expirées arrive dans la prochaine version.",
    3: "Merci pour ces suggestions, nous les transmettons à l'équipe produit.",
}


def load_reviews(progress=None, verify_account=None) -> dict[str, int]:
    """Create the demo reviews that are missing; returns {"created": n, "unchanged": n}."""
    reviewers = [reviewer(*spec) for spec in REVIEWERS]
    # Reviews come from confirmed addresses: the shell, which owns accounts, confirms them.
    for account in reviewers if verify_account else ():
        verify_account(account)
    counts = {"created": 0, "unchanged": 0}
    apps = list(AppPage.objects.live().order_by("path").select_related("publisher__group"))
    for position, app in enumerate(apps):
        rng = random.Random(f"reviews-{app.slug}")
        # One app in four has no review yet: an empty state to look at.
        if rng.random() < 0.25:
            continue
        authors = rng.sample(reviewers, rng.randint(2, 7))
        for number, author in enumerate(authors):
            if Review.objects.filter(app=app, author=author).exists():
                counts["unchanged"] += 1
                continue
            held = position % 9 == 0 and number == 0
            if held:
                rating, title, body = rng.choice(HELD)
            else:  # People who bother to review tend to like what they review.
                rating, title, body = rng.choices(OPINIONS, weights=OPINION_WEIGHTS)[0]
            review = services.submit_review(app, author, rating=rating, title=title, body=body)
            days_ago = rng.randint(1, 120)
            Review.objects.filter(pk=review.pk).update(
                created_at=timezone.now() - timedelta(days=days_ago, hours=rng.randint(0, 23)),
                helpful_count=F("helpful_count") + rng.randint(0, 12),
            )
            answered = rng.random() < 0.6
            if review.status == Review.Status.PUBLISHED and rating in REPLIES and answered:
                # Written as the publisher (no member account needed for demo replies).
                ReviewReply.objects.create(
                    review=review, publisher_id=app.publisher_id, body=REPLIES[rating]
                )
            counts["created"] += 1
        if progress is not None:
            progress(position + 1, len(apps))
    return counts


def reviewer(username: str, first_name: str, last_name: str):
    users = get_user_model().objects
    user = users.filter(username=username).first()
    if user is None:
        user = users.create_user(
            username=username,
            email=f"{username}@example.org",
            first_name=first_name,
            last_name=last_name,
            # Joined long ago: the account-age rule does not hold their reviews.
            date_joined=timezone.now() - timedelta(days=400),
        )
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user
