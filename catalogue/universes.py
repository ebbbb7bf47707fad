"""Reference data of the catalogue: the six universes of the Emploi Store and their
sub-categories, the audiences and the interface languages.

Plain data plus loaders that take the model classes as arguments, so the same code serves
the data migration (historical models) and `ensure_store_structure` (after a test flush).
"""

UNIVERSES = [
    {
        "slug": "choisir-un-metier",
        "name": "Choisir un métier",
        "name_en": "Choose a career",
        "icon": "fr-icon-compass-3-line",
        "description": "Découvrir les métiers, tester ses envies, identifier ses compétences.",
        "children": [
            ("decouvrir-les-metiers", "Découvrir les métiers"),
            ("tests-et-orientation", "Tests et orientation"),
            ("competences-et-bilan", "Compétences et bilan"),
            ("immersion-professionnelle", "Immersion professionnelle"),
        ],
    },
    {
        "slug": "se-former",
        "name": "Se former",
        "name_en": "Get trained",
        "icon": "fr-icon-book-2-line",
        "description": "Trouver une formation, apprendre en ligne, financer son projet.",
        "children": [
            ("trouver-une-formation", "Trouver une formation"),
            ("apprendre-en-ligne", "Apprendre en ligne"),
            ("financer-sa-formation", "Financer sa formation"),
            ("langues-et-numerique", "Langues et numérique"),
        ],
    },
    {
        "slug": "preparer-sa-candidature",
        "name": "Préparer sa candidature",
        "name_en": "Prepare your application",
        "icon": "fr-icon-file-text-line",
        "description": "CV, lettre de motivation, entretien d'embauche, réseau professionnel.",
        "children": [
            ("cv-et-lettre", "CV et lettre de motivation"),
            ("entretien-embauche", "Entretien d'embauche"),
            ("reseau-professionnel", "Réseau professionnel"),
        ],
    },
    {
        "slug": "trouver-un-emploi",
        "name": "Trouver un emploi",
        "name_en": "Find a job",
        "icon": "fr-icon-briefcase-line",
        "description": "Offres d'emploi, alternance, emplois saisonniers, recrutement.",
        "children": [
            ("offres-emploi", "Offres d'emploi"),
            ("alternance-et-stages", "Alternance et stages"),
            ("emplois-saisonniers", "Emplois saisonniers"),
            ("recruter", "Recruter"),
            ("mobilite-et-logement", "Mobilité et logement"),
        ],
    },
    {
        "slug": "creer-son-entreprise",
        "name": "Créer son entreprise",
        "name_en": "Start a business",
        "icon": "fr-icon-lightbulb-line",
        "description": "Construire son projet, trouver des financements, se faire accompagner.",
        "children": [
            ("construire-son-projet", "Construire son projet"),
            ("financement-et-aides", "Financement et aides"),
            ("gestion-et-administratif", "Gestion et administratif"),
        ],
    },
    {
        "slug": "partir-a-l-international",
        "name": "Partir à l'international",
        "name_en": "Go abroad",
        "icon": "fr-icon-earth-line",
        "description": "Travailler, étudier ou entreprendre à l'étranger.",
        "children": [
            ("travailler-a-l-etranger", "Travailler à l'étranger"),
            ("volontariat-international", "Volontariat international"),
            ("apprendre-une-langue", "Apprendre une langue"),
        ],
    },
]

# English names of the sub-categories, by slug (those of the universes are in UNIVERSES).
SUBCATEGORY_NAMES_EN = {
    "decouvrir-les-metiers": "Discover occupations",
    "tests-et-orientation": "Tests and career guidance",
    "competences-et-bilan": "Skills assessment",
    "immersion-professionnelle": "Work placements",
    "trouver-une-formation": "Find a training course",
    "apprendre-en-ligne": "Learn online",
    "financer-sa-formation": "Fund your training",
    "langues-et-numerique": "Languages and digital skills",
    "cv-et-lettre": "CV and cover letter",
    "entretien-embauche": "Job interview",
    "reseau-professionnel": "Professional network",
    "offres-emploi": "Job offers",
    "alternance-et-stages": "Apprenticeships and internships",
    "emplois-saisonniers": "Seasonal jobs",
    "recruter": "Recruit",
    "mobilite-et-logement": "Mobility and housing",
    "construire-son-projet": "Build your project",
    "financement-et-aides": "Funding and grants",
    "gestion-et-administratif": "Management and paperwork",
    "travailler-a-l-etranger": "Work abroad",
    "volontariat-international": "International volunteering",
    "apprendre-une-langue": "Learn a language",
}

AUDIENCES = [
    ("jobseekers", "Demandeurs d'emploi", "Job-seekers"),
    ("employers", "Employeurs", "Employers"),
]

# ISO 639-1 code, French name, English name.
LANGUAGES = [
    ("fr", "Français", "French"),
    ("en", "Anglais", "English"),
    ("es", "Espagnol", "Spanish"),
    ("de", "Allemand", "German"),
    ("it", "Italien", "Italian"),
    ("pt", "Portugais", "Portuguese"),
    ("ar", "Arabe", "Arabic"),
    ("zh", "Chinois", "Chinese"),
    ("ru", "Russe", "Russian"),
    ("tr", "Turc", "Turkish"),
    ("pl", "Polonais", "Polish"),
    ("ro", "Roumain", "Romanian"),
    ("nl", "Néerlandais", "Dutch"),
    ("uk", "Ukrainien", "Ukrainian"),
    ("oc", "Occitan", "Occitan"),
    ("br", "Breton", "Breton"),
]


def english_category_names() -> dict[str, str]:
    """English name of every universe and sub-category, by slug."""
    names = {}
    for universe in UNIVERSES:
        names[universe["slug"]] = universe["name_en"]
    names.update(SUBCATEGORY_NAMES_EN)
    return names


def fill_english_category_names(Category):
    """Give an English name to the reference categories that have none; keep editors' ones."""
    for slug, name_en in english_category_names().items():
        Category.objects.filter(slug=slug, name_en="").update(name_en=name_en)


def load_reference_data(Category, Audience, Language):
    """Create what is missing; never overwrite what editors changed."""
    # Migration 0002 runs with a Category that has no name_en yet: 0005 fills it in later.
    english = {field.name for field in Category._meta.get_fields()} >= {"name_en"}
    for position, universe in enumerate(UNIVERSES):
        parent, _ = Category.objects.get_or_create(
            slug=universe["slug"],
            defaults={
                "name": universe["name"],
                **({"name_en": universe["name_en"]} if english else {}),
                "icon": universe["icon"],
                "description": universe["description"],
                "sort_order": position,
            },
        )
        for child_position, (slug, name) in enumerate(universe["children"]):
            Category.objects.get_or_create(
                slug=slug,
                defaults={
                    "name": name,
                    **({"name_en": SUBCATEGORY_NAMES_EN.get(slug, "")} if english else {}),
                    "parent": parent,
                    "sort_order": child_position,
                },
            )
    for position, (slug, name, name_en) in enumerate(AUDIENCES):
        Audience.objects.get_or_create(
            slug=slug, defaults={"name": name, "name_en": name_en, "sort_order": position}
        )
    for code, name, name_en in LANGUAGES:
        Language.objects.get_or_create(code=code, defaults={"name": name, "name_en": name_en})
