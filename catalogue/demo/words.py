"""Word lists from which `generate_catalogue` composes fictitious publishers and apps."""

PUBLISHER_PREFIXES = [
    "Atelier",
    "Studio",
    "Agence",
    "Cabinet",
    "Collectif",
    "Réseau",
    "Maison",
    "Coopérative",
    "Association",
    "Fondation",
]
PUBLISHER_TOPICS = [
    "Emploi",
    "Compétences",
    "Talents",
    "Avenir",
    "Horizons",
    "Parcours",
    "Métiers",
    "Carrières",
    "Projets",
    "Savoirs",
    "Insertion",
    "Initiatives",
]
PLACES = [
    "Bretagne",
    "Occitanie",
    "Normandie",
    "Grand Est",
    "Provence",
    "Auvergne",
    "Hauts-de-France",
    "Île-de-France",
    "Val de Loire",
    "Alsace",
    "Corse",
    "Savoie",
    "Pays basque",
    "Bourgogne",
    "Lorraine",
    "Anjou",
    "Berry",
    "Gascogne",
    "Limousin",
    "Guyane",
    "La Réunion",
    "Martinique",
]

# By universe: the nouns an app's name is built on, its possible taglines, and one opening
# paragraph. Sub-categories are drawn from catalogue.universes, not repeated here.
UNIVERSES = {
    "choisir-un-metier": {
        "nouns": ["Métiers", "Orientation", "Boussole", "Vocation", "Passions", "Déclic"],
        "taglines": [
            "Découvrez les métiers qui correspondent à vos goûts et à vos compétences.",
            "Un questionnaire rapide pour trouver votre voie professionnelle.",
            "Des professionnels vous racontent leur métier, au quotidien.",
            "Faites le point sur vos compétences et construisez votre projet.",
        ],
        "intro": "Vous vous demandez quel métier vous irait ? {name} vous aide à explorer "
        "les possibilités, à partir de vos centres d'intérêt et de votre expérience.",
    },
    "se-former": {
        "nouns": ["Formation", "Campus", "Académie", "Savoirs", "Cours", "Études"],
        "taglines": [
            "Trouvez la formation qui vous mènera à l'emploi, près de chez vous.",
            "Apprenez à votre rythme avec des modules courts et concrets.",
            "Toutes les solutions pour financer votre projet de formation.",
            "Progressez en langues et en numérique, quelques minutes par jour.",
        ],
        "intro": "Se former est souvent la clé d'un nouveau départ. {name} rassemble les "
        "formations, les cours en ligne et les financements adaptés à votre projet.",
    },
    "preparer-sa-candidature": {
        "nouns": ["CV", "Candidature", "Entretien", "Pitch", "Profil", "Lettre"],
        "taglines": [
            "Un CV clair et percutant, prêt à envoyer en quelques minutes.",
            "Entraînez-vous à l'entretien d'embauche et gagnez en assurance.",
            "Développez votre réseau professionnel et faites-vous recommander.",
            "Une lettre de motivation sur mesure pour chaque offre.",
        ],
        "intro": "Une bonne candidature fait la différence. {name} vous accompagne de la "
        "rédaction du CV jusqu'à la préparation de l'entretien.",
    },
    "trouver-un-emploi": {
        "nouns": ["Emploi", "Jobs", "Offres", "Embauche", "Missions", "Alternance"],
        "taglines": [
            "Des milliers d'offres d'emploi près de chez vous, mises à jour chaque jour.",
            "Trouvez une alternance ou un stage dans l'entreprise qui vous correspond.",
            "Les emplois saisonniers, logement compris, en quelques clics.",
            "Recrutez plus vite : publiez vos offres et recevez des profils qualifiés.",
        ],
        "intro": "Trouver le bon poste demande du temps. {name} réunit les offres qui vous "
        "correspondent et vous prévient dès qu'une nouvelle opportunité apparaît.",
    },
    "creer-son-entreprise": {
        "nouns": ["Entreprise", "Projet", "Création", "Gestion", "Activité", "Factures"],
        "taglines": [
            "De l'idée à l'immatriculation, les étapes de la création d'entreprise.",
            "Toutes les aides et tous les financements pour lancer votre activité.",
            "Devis, factures et déclarations : la gestion simplifiée des indépendants.",
            "Un accompagnement personnalisé pendant vos premières années.",
        ],
        "intro": "Créer son entreprise est une aventure. {name} vous guide pas à pas, du "
        "projet aux premières déclarations, avec des outils simples.",
    },
    "partir-a-l-international": {
        "nouns": ["Monde", "Europe", "Langues", "Export", "Expat", "Horizon"],
        "taglines": [
            "Travaillez à l'étranger : offres, démarches et conseils pratiques.",
            "Partez en volontariat international et vivez une première expérience.",
            "Apprenez une langue étrangère pour votre vie professionnelle.",
            "Préparez votre départ : démarches, logement, protection sociale.",
        ],
        "intro": "Une expérience à l'étranger valorise un parcours. {name} vous aide à "
        "préparer votre départ et à trouver des opportunités hors de France.",
    },
}
NAME_LEADS = ["Cap", "Objectif", "Pass", "Clic", "Atout", "Tremplin", "Escale", "Focus"]
NAME_TAILS = ["Express", "Facile", "Plus", "Pro", "Connect", "360", "Direct", "Local", "Lab"]
FEATURES = [
    "des alertes personnalisées",
    "un espace personnel sécurisé",
    "une version hors connexion",
    "des conseils d'experts",
    "un accompagnement par un conseiller",
    "des contenus vérifiés chaque mois",
    "une interface compatible avec les lecteurs d'écran",
    "un suivi de vos démarches",
    "des tutoriels vidéo sous-titrés",
    "le partage avec votre conseiller",
]
CLOSINGS = [
    "Le service est conçu avec ses utilisateurs et amélioré chaque mois.",
    "Vos données restent confidentielles et ne sont jamais revendues.",
    "Une équipe répond à vos questions du lundi au vendredi.",
    "L'inscription prend moins de deux minutes.",
]
