"""The demo catalogue: publishers, apps, collections and accounts loaded by `load_demo`.

Names of public bodies are used to make the demo recognisable; every address points to
example.org and the apps themselves are invented. Descriptions are lists of paragraphs, where a
nested list becomes a bulleted list.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class DemoPublisher:
    slug: str
    name: str
    code: str  # prefix of the apps' external identifiers
    kind: str
    verified: bool
    description: str

    @property
    def website(self) -> str:
        return f"https://example.org/{self.slug}/"


@dataclass(frozen=True)
class DemoApp:
    slug: str
    name: str
    publisher: str
    tagline: str
    description: list
    categories: tuple[str, ...]
    platforms: tuple[str, ...]
    audiences: tuple[str, ...] = ("jobseekers",)
    pricing: str = "free"
    languages: tuple[str, ...] = ("fr",)
    accessibility: str = "partial"
    popularity: int = 0
    # Left as a draft submitted to the editorial workflow, for the editors to review.
    in_moderation: bool = False


@dataclass(frozen=True)
class DemoCollection:
    slug: str
    name: str
    description: str
    featured: bool
    apps: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    first_name: str
    last_name: str
    role: str  # "superuser", "editor" or the slug of the publisher the account belongs to


PUBLISHERS = [
    # Publishes through a metadata feed (the example feed the store serves itself, see
    # catalogue.sync.demo): its apps arrive when someone presses "Synchroniser maintenant".
    DemoPublisher(
        "mission-locale-numerique",
        "Mission locale numérique (exemple)",
        "MLN",
        "association",
        False,
        "Une mission locale fictive qui publie ses applications par un flux de métadonnées.",
    ),
    DemoPublisher(
        "france-travail",
        "France Travail",
        "FT",
        "public_service",
        True,
        "L'opérateur public de l'emploi accompagne les demandeurs d'emploi et les entreprises "
        "qui recrutent, partout en France.",
    ),
    DemoPublisher(
        "apec",
        "Apec",
        "APEC",
        "association",
        True,
        "L'Association pour l'emploi des cadres conseille les cadres, les jeunes diplômés "
        "et les entreprises qui les recrutent.",
    ),
    DemoPublisher(
        "onisep",
        "Onisep",
        "ONI",
        "public_service",
        True,
        "L'information de référence sur les métiers et les formations, pour les jeunes, "
        "leurs familles et les équipes éducatives.",
    ),
    DemoPublisher(
        "missions-locales",
        "Missions locales",
        "ML",
        "association",
        True,
        "Le réseau qui accompagne les jeunes de 16 à 25 ans vers l'emploi, la formation, "
        "le logement et la santé.",
    ),
    DemoPublisher(
        "bpifrance-creation",
        "Bpifrance Création",
        "BPI",
        "public_service",
        True,
        "Informations, outils et orientation pour créer ou reprendre une entreprise.",
    ),
    DemoPublisher(
        "urssaf",
        "Urssaf",
        "URS",
        "public_service",
        True,
        "Le recouvrement des cotisations sociales, et les démarches des employeurs et des "
        "travailleurs indépendants.",
    ),
    DemoPublisher(
        "pole-international",
        "Pôle international",
        "PI",
        "public_service",
        True,
        "Le service qui aide à travailler, à se former ou à faire du volontariat à l'étranger.",
    ),
    DemoPublisher(
        "region-sud-loire",
        "Région Sud-Loire",
        "RSL",
        "local_authority",
        True,
        "Une région (imaginaire) qui finance la formation professionnelle et soutient "
        "l'emploi local.",
    ),
    DemoPublisher(
        "talentis",
        "Talentis",
        "TAL",
        "company",
        False,
        "Une jeune entreprise lyonnaise qui rapproche candidats et recruteurs grâce à des "
        "profils centrés sur les compétences.",
    ),
    DemoPublisher(
        "atelier-cv",
        "L'Atelier CV",
        "ACV",
        "company",
        True,
        "Des outils simples pour rédiger un CV et une lettre de motivation qui donnent envie "
        "de vous rencontrer.",
    ),
    DemoPublisher(
        "lingua-studio",
        "Lingua Studio",
        "LIN",
        "company",
        False,
        "Des cours de langues courts et concrets, pensés pour la vie professionnelle.",
    ),
    DemoPublisher(
        "campus-numerique-solidaire",
        "Campus numérique solidaire",
        "CNS",
        "association",
        True,
        "Une association qui forme gratuitement aux compétences numériques, de l'usage de "
        "base au développement web.",
    ),
    DemoPublisher(
        "cap-entreprendre",
        "Cap Entreprendre",
        "CAP",
        "association",
        True,
        "Un réseau de chefs d'entreprise bénévoles qui accompagne les créateurs pendant "
        "leurs premières années.",
    ),
    DemoPublisher(
        "saisonia",
        "Saisonia",
        "SAI",
        "company",
        False,
        "La plateforme des emplois saisonniers : tourisme, agriculture, événementiel.",
    ),
    DemoPublisher(
        "mobilite-solidaire",
        "Mobilité solidaire",
        "MOB",
        "association",
        True,
        "Une association qui lève les freins de transport et de logement dans l'accès à l'emploi.",
    ),
    DemoPublisher(
        "libre-emploi",
        "Libre Emploi",
        "LIB",
        "association",
        False,
        "Un collectif de bénévoles qui développe des logiciels libres utiles à la recherche "
        "d'emploi et aux petites entreprises.",
    ),
]

JOBSEEKERS = ("jobseekers",)
EMPLOYERS = ("employers",)
EVERYONE = ("jobseekers", "employers")

APPS = [
    # --- Choisir un métier ---------------------------------------------------------------
    DemoApp(
        "metiers-360",
        "Métiers 360",
        "onisep",
        "Des centaines de métiers racontés en vidéo par celles et ceux qui les exercent.",
        [
            "Métiers 360 vous fait entrer dans le quotidien de plus de 600 professionnels : "
            "une boulangère, un technicien de maintenance éolienne, une infirmière de bloc, "
            "un développeur… Chaque vidéo dure moins de trois minutes et se termine par les "
            "études qui mènent au métier.",
            "Filtrez par centre d'intérêt, par niveau d'études ou par secteur qui recrute, "
            "et gardez vos métiers préférés dans une liste à partager avec votre conseiller.",
        ],
        ("decouvrir-les-metiers",),
        ("web", "ios", "android"),
        languages=("fr", "en"),
        accessibility="full",
        popularity=48_200,
    ),
    DemoApp(
        "boussole-des-metiers",
        "Boussole des métiers",
        "onisep",
        "Un questionnaire de dix minutes pour découvrir les métiers qui vous ressemblent.",
        [
            "Répondez à une trentaine de questions sur ce que vous aimez faire, votre façon "
            "de travailler et l'environnement qui vous convient. La Boussole vous propose "
            "ensuite une sélection de métiers, classés par proximité avec votre profil.",
            "Pour chaque métier : les missions, les salaires de début de carrière, les "
            "formations possibles près de chez vous et les perspectives d'emploi.",
            [
                "aucune inscription nécessaire",
                "résultats téléchargeables en PDF",
                "version adaptée aux lecteurs d'écran",
            ],
        ],
        ("tests-et-orientation",),
        ("web", "android", "ios"),
        accessibility="full",
        popularity=31_500,
    ),
    DemoApp(
        "explorateur-des-metiers",
        "Explorateur des métiers",
        "france-travail",
        "Les fiches métiers de référence : compétences, accès, conditions de travail.",
        [
            "L'Explorateur des métiers rassemble plus de 500 fiches détaillées, mises à jour "
            "avec les professionnels de chaque secteur. Vous y trouvez les activités, les "
            "compétences attendues, les diplômes ou expériences requis et les métiers proches.",
            "Chaque fiche indique aussi le nombre d'offres en cours dans votre département, "
            "pour savoir où le métier recrute vraiment.",
        ],
        ("decouvrir-les-metiers",),
        ("web",),
        accessibility="full",
        popularity=22_800,
    ),
    DemoApp(
        "apec-bilan-pro",
        "Apec Bilan Pro",
        "apec",
        "Faites le point sur vos compétences et vos envies avant une évolution professionnelle.",
        [
            "Apec Bilan Pro vous guide en quatre étapes : votre parcours, vos réalisations, "
            "vos compétences transférables et vos motivations. À la fin, vous obtenez une "
            "synthèse claire à utiliser en entretien avec un consultant ou un employeur.",
            "Le service est réservé aux cadres et aux jeunes diplômés ; il est gratuit.",
        ],
        ("competences-et-bilan",),
        ("web", "ios"),
        accessibility="partial",
        popularity=9_400,
    ),
    DemoApp(
        "passerelle-immersion",
        "Passerelle Immersion",
        "france-travail",
        "Découvrez un métier en entreprise pendant quelques jours avant de vous engager.",
        [
            "Une immersion professionnelle permet de vérifier qu'un métier vous plaît, de "
            "confirmer un projet de formation ou de vous faire connaître d'un employeur. "
            "Passerelle Immersion recense les entreprises volontaires près de chez vous.",
            "Côté entreprise, publiez vos propositions d'accueil en quelques minutes : la "
            "convention est générée et signée en ligne par toutes les parties.",
        ],
        ("immersion-professionnelle",),
        ("web",),
        audiences=EVERYONE,
        accessibility="full",
        popularity=12_100,
    ),
    DemoApp(
        "vis-ma-vie-de-pro",
        "Vis ma vie de pro",
        "missions-locales",
        "Passez une journée aux côtés d'un professionnel et posez-lui toutes vos questions.",
        [
            "Vis ma vie de pro met en relation les jeunes accompagnés par une Mission locale "
            "et des professionnels prêts à partager une journée de travail. Choisissez un "
            "secteur, proposez vos disponibilités : votre conseiller s'occupe du reste.",
            "Après la journée, un court questionnaire vous aide à faire le point sur ce que "
            "vous avez aimé… ou moins aimé.",
        ],
        ("immersion-professionnelle", "decouvrir-les-metiers"),
        ("android", "ios"),
        popularity=6_300,
    ),
    DemoApp(
        "talentis-personnalite",
        "Talentis Personnalité",
        "talentis",
        "Un test de personnalité professionnelle pour mieux vous connaître et mieux vous vendre.",
        [
            "En quinze minutes, le test décrit votre style de travail : organisation, "
            "relation aux autres, gestion du stress, goût pour l'initiative. Le rapport de "
            "base est gratuit ; le rapport détaillé, avec des conseils d'entretien, est payant.",
            "Vous pouvez ajouter le résultat à votre profil Talentis pour le montrer aux "
            "recruteurs, ou le garder pour vous.",
        ],
        ("tests-et-orientation",),
        ("web", "ios", "android"),
        pricing="freemium",
        languages=("fr", "en"),
        accessibility="none",
        popularity=15_700,
    ),
    DemoApp(
        "reconversion-pilote",
        "Reconversion Pilote",
        "apec",
        "Préparez votre reconversion : métiers cibles, écarts de compétences, plan d'action.",
        [
            "Indiquez votre métier actuel et celui qui vous attire : Reconversion Pilote "
            "compare les deux, met en évidence les compétences que vous avez déjà et celles "
            "qu'il vous faudra acquérir.",
            "Un plan d'action daté vous aide ensuite à avancer : rencontres de "
            "professionnels, formations courtes, financement.",
        ],
        ("competences-et-bilan", "decouvrir-les-metiers"),
        ("web",),
        accessibility="partial",
        popularity=7_900,
    ),
    DemoApp(
        "metiers-qui-recrutent",
        "Métiers qui recrutent",
        "region-sud-loire",
        "La carte des métiers en tension de la région, bassin d'emploi par bassin d'emploi.",
        [
            "Quels métiers peinent à recruter près de chez vous ? La carte interactive "
            "répond pour chacun des douze bassins d'emploi de la région, à partir des "
            "projets de recrutement déclarés par les entreprises.",
            "Un clic sur un métier affiche les formations financées par la Région qui y préparent.",
        ],
        ("decouvrir-les-metiers",),
        ("web", "android"),
        accessibility="full",
        popularity=3_200,
    ),
    DemoApp(
        "badgeo",
        "Badgeo",
        "campus-numerique-solidaire",
        "Rassemblez vos badges numériques et prouvez les compétences acquises hors diplôme.",
        [
            "Bénévolat, formation courte, mission de service civique : beaucoup de "
            "compétences ne figurent sur aucun diplôme. Badgeo les rend visibles grâce aux "
            "badges ouverts (Open Badges) délivrés par les organismes qui vous ont formé.",
            "Votre portfolio se partage par un simple lien ; il s'exporte aussi en PDF pour "
            "accompagner votre CV.",
        ],
        ("competences-et-bilan",),
        ("web", "android", "linux"),
        languages=("fr", "en", "es"),
        accessibility="partial",
        popularity=2_100,
    ),
    # --- Se former -----------------------------------------------------------------------
    DemoApp(
        "trouver-ma-formation",
        "Trouver ma formation",
        "france-travail",
        "Toutes les formations près de chez vous, avec leurs taux de retour à l'emploi.",
        [
            "Recherchez parmi plus de 200 000 sessions de formation par métier, par lieu ou "
            "par durée. Chaque formation affiche ses prochaines dates, ses prérequis et le "
            "taux d'accès à l'emploi de ses anciens stagiaires.",
            "Les formations que vous pouvez faire financer sont signalées, et vous pouvez "
            "demander un rendez-vous avec votre conseiller directement depuis la fiche.",
        ],
        ("trouver-une-formation",),
        ("web", "ios", "android"),
        accessibility="full",
        popularity=41_000,
    ),
    DemoApp(
        "formations-en-region",
        "Formations en région",
        "region-sud-loire",
        "Les formations gratuites financées par la Région, pour les demandeurs d'emploi.",
        [
            "La Région finance chaque année plus de 20 000 places de formation qualifiante. "
            "Ce service les présente toutes, avec les réunions d'information à venir.",
            "Inscrivez-vous en ligne à une réunion d'information et suivez l'avancement de "
            "votre candidature.",
        ],
        ("trouver-une-formation", "financer-sa-formation"),
        ("web",),
        accessibility="full",
        popularity=5_600,
    ),
    DemoApp(
        "les-bases-du-numerique",
        "Les bases du numérique",
        "campus-numerique-solidaire",
        "Apprenez à votre rythme à utiliser un ordinateur, une messagerie et les démarches "
        "en ligne.",
        [
            "Des modules courts et très guidés pour prendre confiance : utiliser la souris "
            "et le clavier, créer une adresse électronique, joindre un document, remplir un "
            "formulaire en ligne en toute sécurité.",
            [
                "une voix lit chaque consigne",
                "aucun compte n'est nécessaire",
                "fonctionne sur les ordinateurs anciens",
            ],
        ],
        ("langues-et-numerique", "apprendre-en-ligne"),
        ("web", "android", "windows"),
        languages=("fr", "ar", "uk"),
        accessibility="full",
        popularity=8_800,
    ),
    DemoApp(
        "financer-ma-formation",
        "Financer ma formation",
        "france-travail",
        "Simulez en deux minutes les aides auxquelles votre projet de formation peut prétendre.",
        [
            "Compte personnel de formation, aide individuelle, financement régional, "
            "rémunération pendant la formation : le simulateur croise votre situation et "
            "votre projet pour lister les dispositifs mobilisables.",
            "Le résultat s'enregistre dans votre espace personnel pour en parler avec votre "
            "conseiller.",
        ],
        ("financer-sa-formation",),
        ("web",),
        accessibility="full",
        popularity=18_300,
    ),
    DemoApp(
        "codeo",
        "Codéo",
        "campus-numerique-solidaire",
        "Apprenez à coder un site web, pas à pas, avec des exercices corrigés automatiquement.",
        [
            "Codéo propose un parcours complet de 120 heures : HTML, CSS, JavaScript puis "
            "Python. Chaque notion est suivie d'un exercice corrigé immédiatement, et d'un "
            "petit projet à la fin de chaque module.",
            "L'application de bureau fonctionne hors ligne, pratique quand la connexion est "
            "rare ou chère.",
        ],
        ("apprendre-en-ligne", "langues-et-numerique"),
        ("web", "linux", "macos"),
        languages=("fr", "en"),
        accessibility="partial",
        popularity=4_700,
    ),
    DemoApp(
        "lingua-pro-anglais",
        "Lingua Pro Anglais",
        "lingua-studio",
        "L'anglais du travail en dix minutes par jour : réunions, appels, courriels.",
        [
            "Chaque leçon part d'une situation réelle : se présenter en visioconférence, "
            "répondre à un client, relancer un fournisseur. Vous écoutez, vous répétez, "
            "l'application corrige votre prononciation.",
            "Les vingt premières leçons sont gratuites ; l'abonnement débloque les parcours "
            "métiers (commerce, hôtellerie, logistique, santé).",
        ],
        ("langues-et-numerique", "apprendre-une-langue"),
        ("ios", "android", "web"),
        pricing="freemium",
        languages=("fr", "en"),
        accessibility="none",
        popularity=27_400,
    ),
    DemoApp(
        "talentis-academy",
        "Talentis Academy",
        "talentis",
        "Des formations courtes en ligne sur les compétences les plus demandées par "
        "les recruteurs.",
        [
            "Gestion de projet, bureautique avancée, relation client, bases de la "
            "comptabilité : une quarantaine de modules de deux à six heures, avec un "
            "certificat de réussite.",
            "Les modules d'initiation sont offerts ; les parcours certifiants sont payants.",
        ],
        ("apprendre-en-ligne",),
        ("web", "ios", "android"),
        pricing="freemium",
        accessibility="none",
        popularity=11_200,
    ),
    DemoApp(
        "ma-vae-pas-a-pas",
        "Ma VAE pas à pas",
        "region-sud-loire",
        "Faites reconnaître votre expérience par un diplôme grâce à la validation des acquis.",
        [
            "Ma VAE pas à pas vous aide à vérifier que votre expérience correspond à un "
            "diplôme, à constituer votre dossier et à préparer le passage devant le jury.",
            "Un accompagnateur de la Région relit votre dossier avant l'envoi, sans frais.",
        ],
        ("financer-sa-formation", "competences-et-bilan"),
        ("web",),
        accessibility="full",
        popularity=2_900,
    ),
    DemoApp(
        "bureautique-facile",
        "Bureautique facile",
        "libre-emploi",
        "Un traitement de texte et un tableur libres, avec des tutoriels intégrés pour débuter.",
        [
            "Bureautique facile assemble une suite bureautique libre et une cinquantaine de "
            "tutoriels interactifs : mettre en forme un courrier, faire un tableau de "
            "budget, enregistrer au format PDF.",
            "Le logiciel est gratuit, sans publicité et sans collecte de données.",
        ],
        ("langues-et-numerique",),
        ("windows", "linux", "macos"),
        languages=("fr", "en", "de", "es"),
        accessibility="partial",
        popularity=3_600,
    ),
    DemoApp(
        "francais-pro",
        "Français Pro",
        "lingua-studio",
        "Le français pour travailler, pour les personnes qui l'apprennent ou le perfectionnent.",
        [
            "Comprendre une consigne, remplir un formulaire, parler de son expérience en "
            "entretien : Français Pro accompagne les personnes non francophones vers "
            "l'emploi, du niveau A1 au niveau B2.",
            "Les explications sont disponibles en arabe, en anglais, en espagnol et en ukrainien.",
        ],
        ("langues-et-numerique", "apprendre-une-langue"),
        ("ios", "android"),
        pricing="freemium",
        languages=("fr", "ar", "en", "es", "uk"),
        accessibility="partial",
        popularity=9_900,
    ),
    # --- Préparer sa candidature -----------------------------------------------------------
    DemoApp(
        "cv-express",
        "CV Express",
        "atelier-cv",
        "Un CV clair et professionnel en quinze minutes, depuis votre téléphone.",
        [
            "Choisissez un modèle, répondez aux questions : CV Express met en page votre "
            "parcours et vous suggère des formulations adaptées au métier visé.",
            "Le téléchargement en PDF est gratuit ; les modèles premium et la relecture par "
            "un conseiller sont proposés en option.",
        ],
        ("cv-et-lettre",),
        ("web", "ios", "android"),
        pricing="freemium",
        languages=("fr", "en"),
        accessibility="partial",
        popularity=52_600,
    ),
    DemoApp(
        "atelier-cv-studio",
        "L'Atelier CV Studio",
        "atelier-cv",
        "Le logiciel de bureau pour créer des CV et des lettres soignés, même hors connexion.",
        [
            "L'Atelier CV Studio propose une centaine de modèles personnalisables, un "
            "correcteur orthographique et la gestion de plusieurs versions de votre CV, une "
            "par type de poste.",
            "Licence à vie pour un paiement unique, sans abonnement.",
        ],
        ("cv-et-lettre",),
        ("windows", "macos"),
        pricing="paid",
        accessibility="none",
        popularity=4_300,
    ),
    DemoApp(
        "lettre-pro",
        "Lettre Pro",
        "atelier-cv",
        "Rédigez une lettre de motivation personnalisée à partir de l'offre qui vous intéresse.",
        [
            "Collez le texte de l'offre : Lettre Pro en extrait les attentes de l'employeur "
            "et vous aide à y répondre avec vos propres exemples, paragraphe par paragraphe.",
            "Trois lettres par mois sont gratuites.",
        ],
        ("cv-et-lettre",),
        ("web",),
        pricing="freemium",
        accessibility="partial",
        popularity=19_800,
    ),
    DemoApp(
        "entretien-coach",
        "Entretien Coach",
        "apec",
        "Entraînez-vous à l'entretien d'embauche face à un recruteur virtuel.",
        [
            "Choisissez le poste visé : Entretien Coach vous pose les questions les plus "
            "fréquentes, filme vos réponses si vous le souhaitez et vous donne des conseils "
            "sur le fond comme sur la forme.",
            [
                "plus de 300 questions, classées par type d'entretien",
                "des réponses commentées par des consultants",
                "un mode « entretien en anglais »",
            ],
        ],
        ("entretien-embauche",),
        ("web", "ios", "android"),
        languages=("fr", "en"),
        accessibility="partial",
        popularity=23_700,
    ),
    DemoApp(
        "pret-pour-l-entretien",
        "Prêt pour l'entretien",
        "france-travail",
        "Les conseils essentiels et une liste de vérification à consulter juste avant l'entretien.",
        [
            "Que dire de l'entreprise ? Quelles questions poser ? Comment parler d'une "
            "période sans emploi ? Prêt pour l'entretien répond aux questions que l'on se "
            "pose la veille, en fiches courtes.",
            "La liste de vérification vous rappelle l'adresse, l'heure et les documents à "
            "emporter.",
        ],
        ("entretien-embauche",),
        ("web", "android"),
        accessibility="full",
        popularity=8_100,
    ),
    DemoApp(
        "parrainage-emploi",
        "Parrainage Emploi",
        "missions-locales",
        "Un parrain ou une marraine du monde professionnel pour vous ouvrir son réseau.",
        [
            "Des professionnels bénévoles accompagnent un jeune pendant six mois : conseils, "
            "relecture de candidatures, mises en relation. L'application organise les "
            "rendez-vous et garde la trace des démarches.",
            "Vous êtes professionnel ? Devenez parrain en quelques minutes.",
        ],
        ("reseau-professionnel",),
        ("web", "ios", "android"),
        audiences=EVERYONE,
        accessibility="partial",
        popularity=5_200,
    ),
    DemoApp(
        "talentis-connect",
        "Talentis Connect",
        "talentis",
        "Le réseau professionnel qui met vos compétences en avant, avant votre diplôme.",
        [
            "Créez un profil fondé sur ce que vous savez faire, rejoignez les communautés "
            "de votre métier et échangez avec des recruteurs qui cherchent précisément ces "
            "compétences.",
            "L'abonnement Premium permet de voir qui a consulté votre profil et d'écrire "
            "directement aux recruteurs.",
        ],
        ("reseau-professionnel",),
        ("ios", "android", "web"),
        audiences=EVERYONE,
        pricing="freemium",
        languages=("fr", "en"),
        accessibility="none",
        popularity=36_900,
    ),
    DemoApp(
        "cv-libre",
        "CV Libre",
        "libre-emploi",
        "Un éditeur de CV libre et respectueux de la vie privée, qui fonctionne hors ligne.",
        [
            "CV Libre sépare le contenu de la mise en forme : vous saisissez votre parcours "
            "une fois, puis vous choisissez parmi des modèles sobres, lisibles par les "
            "logiciels de recrutement.",
            "Vos données restent sur votre ordinateur. Le code source est publié sous "
            "licence libre.",
        ],
        ("cv-et-lettre",),
        ("linux", "windows", "macos"),
        languages=("fr", "en", "de", "es", "it"),
        accessibility="partial",
        popularity=2_700,
    ),
    DemoApp(
        "cv-facile-a-lire",
        "CV facile à lire",
        "campus-numerique-solidaire",
        "Un CV accessible, rédigé en langage simple, pour les personnes en situation de handicap.",
        [
            "Pensé avec des personnes en situation de handicap intellectuel, ce service "
            "guide la rédaction d'un CV avec des pictogrammes et des phrases courtes.",
            "Le CV obtenu respecte les règles du « facile à lire et à comprendre » (FALC), "
            "appréciées de nombreux employeurs inclusifs.",
        ],
        ("cv-et-lettre",),
        ("web",),
        accessibility="full",
        popularity=1_400,
    ),
    DemoApp(
        "pitch-video",
        "Pitch Vidéo",
        "talentis",
        "Présentez-vous en une minute de vidéo, et joignez-la à vos candidatures.",
        [
            "Pitch Vidéo vous aide à écrire votre présentation, affiche un prompteur pendant "
            "l'enregistrement et coupe automatiquement les silences.",
            "La vidéo est hébergée de façon privée : seules les personnes qui ont le lien "
            "peuvent la voir.",
        ],
        ("entretien-embauche", "cv-et-lettre"),
        ("ios", "android"),
        pricing="freemium",
        accessibility="none",
        popularity=6_600,
    ),
    DemoApp(
        "ateliers-et-evenements",
        "Ateliers et événements",
        "france-travail",
        "Les ateliers, salons et rencontres avec des recruteurs organisés près de chez vous.",
        [
            "Ateliers CV, simulations d'entretien, forums de recrutement, visites "
            "d'entreprises : retrouvez tous les événements de votre agence et de votre "
            "département, et inscrivez-vous en un clic.",
            "Un rappel vous est envoyé la veille, avec l'adresse et le plan d'accès.",
        ],
        ("reseau-professionnel", "entretien-embauche"),
        ("web", "ios", "android"),
        accessibility="full",
        in_moderation=True,
    ),
    # --- Trouver un emploi -----------------------------------------------------------------
    DemoApp(
        "offres-d-emploi",
        "Offres d'emploi France Travail",
        "france-travail",
        "Plus de 800 000 offres d'emploi, des alertes personnalisées et la candidature en un clic.",
        [
            "Recherchez par métier, par lieu ou par type de contrat, enregistrez vos "
            "recherches et recevez une notification dès qu'une offre correspond.",
            "Votre CV enregistré dans votre espace vous permet de postuler en quelques "
            "secondes, et de suivre vos candidatures au même endroit.",
        ],
        ("offres-emploi",),
        ("web", "ios", "android"),
        accessibility="full",
        popularity=98_400,
    ),
    DemoApp(
        "espace-recruteur",
        "Espace recruteur",
        "france-travail",
        "Publiez vos offres, recevez des profils présélectionnés et suivez vos recrutements.",
        [
            "Déposez une offre en cinq minutes, consultez les candidats dont le profil "
            "correspond et proposez-leur de postuler.",
            "Votre conseiller entreprise vous aide à définir le poste, à organiser un "
            "recrutement collectif ou à mobiliser les aides à l'embauche.",
        ],
        ("recruter",),
        ("web", "ios", "android"),
        audiences=EMPLOYERS,
        accessibility="full",
        popularity=21_300,
    ),
    DemoApp(
        "apec-offres-cadres",
        "Apec Offres cadres",
        "apec",
        "Les offres d'emploi cadres de toute la France, et les conseils de l'Apec pour postuler.",
        [
            "Plus de 60 000 offres réservées aux cadres et aux jeunes diplômés, avec les "
            "salaires affichés pour la plupart d'entre elles.",
            "Activez les alertes, suivez vos candidatures et accédez aux ateliers en ligne "
            "de l'Apec.",
        ],
        ("offres-emploi",),
        ("web", "ios", "android"),
        accessibility="partial",
        popularity=44_500,
    ),
    DemoApp(
        "alternance-express",
        "Alternance Express",
        "missions-locales",
        "Trouvez une entreprise pour votre alternance, et l'école qui va avec.",
        [
            "Alternance Express rassemble les offres de contrats d'apprentissage et de "
            "professionnalisation, et les entreprises qui recrutent régulièrement des "
            "alternants sans publier d'offre.",
            "Pour chaque métier, l'application indique aussi les centres de formation qui "
            "ont encore des places.",
        ],
        ("alternance-et-stages",),
        ("web", "android", "ios"),
        accessibility="partial",
        popularity=29_600,
    ),
    DemoApp(
        "stagio",
        "Stagio",
        "talentis",
        "Des milliers de stages, du stage d'observation au stage de fin d'études.",
        [
            "Filtrez les offres par durée, par date de début et par gratification. Les "
            "avis d'anciens stagiaires vous aident à choisir.",
            "Les écoles partenaires peuvent valider la convention de stage directement "
            "dans l'application.",
        ],
        ("alternance-et-stages",),
        ("web", "ios", "android"),
        accessibility="none",
        popularity=17_200,
    ),
    DemoApp(
        "saisonia",
        "Saisonia",
        "saisonia",
        "Les emplois saisonniers à la mer, à la montagne et à la campagne, logement compris.",
        [
            "Serveur, moniteur de ski, animateur, cueilleur : Saisonia publie des milliers "
            "d'offres de saison, en indiquant clairement si le logement est fourni.",
            "Créez votre profil une fois, et postulez à plusieurs offres de la même saison "
            "en un clic.",
        ],
        ("emplois-saisonniers",),
        ("ios", "android", "web"),
        audiences=EVERYONE,
        languages=("fr", "en", "es", "it"),
        accessibility="none",
        popularity=25_800,
    ),
    DemoApp(
        "vendanges-et-recoltes",
        "Vendanges et récoltes",
        "saisonia",
        "Les offres de vendanges, de cueillette et de travaux agricoles, région par région.",
        [
            "Un calendrier des récoltes vous indique quand et où les exploitations "
            "recrutent. Les offres précisent la durée, la rémunération et l'hébergement.",
            "Les exploitants publient leurs besoins gratuitement.",
        ],
        ("emplois-saisonniers",),
        ("android", "web"),
        audiences=EVERYONE,
        languages=("fr", "es", "pt", "pl", "ro"),
        accessibility="none",
        popularity=8_700,
    ),
    DemoApp(
        "talentis-recrutement",
        "Talentis Recrutement",
        "talentis",
        "Le logiciel de suivi des candidatures pour les PME : annonces, tri, entretiens.",
        [
            "Diffusez vos annonces sur plusieurs sites à la fois, centralisez les "
            "candidatures et faites avancer chaque candidat d'une étape à l'autre en équipe.",
            [
                "modèles d'annonces par métier",
                "planification des entretiens",
                "réponses automatiques respectueuses des candidats",
            ],
            "Abonnement mensuel sans engagement, essai gratuit de trente jours.",
        ],
        ("recruter",),
        ("web", "windows", "macos"),
        audiences=EMPLOYERS,
        pricing="paid",
        accessibility="none",
        popularity=3_900,
    ),
    DemoApp(
        "embauche-locale",
        "Embauche locale",
        "region-sud-loire",
        "Les entreprises de la région publient leurs offres ; les habitants postulent près "
        "de chez eux.",
        [
            "Embauche locale met en avant les offres situées à moins de trente minutes de "
            "chez vous, en voiture ou en transports en commun.",
            "Les entreprises de moins de cinquante salariés bénéficient d'un accompagnement "
            "gratuit de la Région pour leurs recrutements.",
        ],
        ("offres-emploi", "recruter"),
        ("web",),
        audiences=EVERYONE,
        accessibility="full",
        popularity=4_100,
    ),
    DemoApp(
        "bouger-pour-l-emploi",
        "Bouger pour l'emploi",
        "mobilite-solidaire",
        "Trouvez comment vous rendre à un entretien ou à votre futur travail, et les aides "
        "au transport.",
        [
            "Indiquez votre adresse et celle de l'employeur : l'application compare les "
            "trajets en transports, à vélo, en covoiturage ou en transport à la demande.",
            "Elle liste aussi les aides possibles : location de scooter à petit prix, "
            "remboursement du carburant, aide au permis.",
        ],
        ("mobilite-et-logement",),
        ("web", "android", "ios"),
        accessibility="partial",
        popularity=7_300,
    ),
    DemoApp(
        "logement-jeunes-actifs",
        "Logement jeunes actifs",
        "mobilite-solidaire",
        "Des logements temporaires pour les jeunes qui commencent un emploi ou une alternance.",
        [
            "Résidences pour jeunes travailleurs, colocations solidaires, chambres chez "
            "l'habitant : l'application recense les solutions disponibles près de votre "
            "lieu de travail, pour quelques semaines ou quelques mois.",
            "Vous pouvez déposer une demande et suivre sa réponse en ligne.",
        ],
        ("mobilite-et-logement",),
        ("web", "android"),
        accessibility="partial",
        popularity=4_800,
    ),
    DemoApp(
        "permis-solidaire",
        "Permis solidaire",
        "mobilite-solidaire",
        "Financez et préparez votre permis de conduire quand il conditionne un emploi.",
        [
            "Auto-écoles sociales, aides des collectivités, permis à un euro par jour : "
            "Permis solidaire vous indique les solutions auxquelles vous avez droit.",
            "Un module de révision du code de la route est inclus gratuitement.",
        ],
        ("mobilite-et-logement",),
        ("web",),
        accessibility="full",
        popularity=6_900,
    ),
    DemoApp(
        "job-dating-local",
        "Job dating local",
        "missions-locales",
        "Des rencontres éclair entre jeunes et recruteurs, organisées près de chez vous.",
        [
            "Dix minutes pour convaincre, sans CV obligatoire : les job datings permettent "
            "de rencontrer des employeurs qui recrutent tout de suite.",
            "Consultez le calendrier, inscrivez-vous, et préparez-vous grâce aux conseils "
            "des conseillers de votre Mission locale.",
        ],
        ("offres-emploi", "recruter"),
        ("ios", "android"),
        audiences=EVERYONE,
        accessibility="partial",
        popularity=5_500,
    ),
    DemoApp(
        "mon-agenda-de-recherche",
        "Mon agenda de recherche",
        "france-travail",
        "Organisez votre recherche d'emploi : candidatures, relances, entretiens, en un "
        "seul endroit.",
        [
            "Notez chaque candidature, programmez une relance, gardez les coordonnées des "
            "recruteurs : l'agenda vous rappelle ce qu'il faut faire et quand.",
            "Vous pouvez partager votre tableau de bord avec votre conseiller pour préparer "
            "vos rendez-vous.",
        ],
        ("offres-emploi",),
        ("web", "ios", "android"),
        accessibility="full",
        in_moderation=True,
    ),
    # --- Créer son entreprise ----------------------------------------------------------------
    DemoApp(
        "parcours-creation",
        "Parcours création",
        "bpifrance-creation",
        "De l'idée à l'immatriculation : les étapes de la création d'entreprise, une par une.",
        [
            "Parcours création découpe votre projet en étapes concrètes : étude de marché, "
            "choix du statut, prévisionnel financier, formalités. Chaque étape propose des "
            "fiches pratiques et des modèles à télécharger.",
            "Votre progression est enregistrée, et vous pouvez inviter un accompagnateur à "
            "la suivre.",
        ],
        ("construire-son-projet",),
        ("web",),
        audiences=EVERYONE,
        accessibility="full",
        popularity=16_400,
    ),
    DemoApp(
        "business-plan-facile",
        "Business plan facile",
        "bpifrance-creation",
        "Construisez votre prévisionnel financier sans être comptable.",
        [
            "Répondez à des questions simples sur vos ventes, vos charges et vos "
            "investissements : le logiciel calcule le compte de résultat, le plan de "
            "financement et le seuil de rentabilité sur trois ans.",
            "Le dossier se télécharge dans le format attendu par les banques et les réseaux "
            "de prêt d'honneur.",
        ],
        ("construire-son-projet", "financement-et-aides"),
        ("web", "windows", "macos"),
        audiences=EVERYONE,
        accessibility="partial",
        popularity=10_700,
    ),
    DemoApp(
        "boussole-des-aides",
        "Boussole des aides",
        "bpifrance-creation",
        "Toutes les aides publiques à la création d'entreprise auxquelles vous pouvez prétendre.",
        [
            "Prêts d'honneur, aides régionales, exonérations de charges, garanties "
            "bancaires : la Boussole des aides filtre plus de 1 500 dispositifs selon votre "
            "situation, votre projet et votre territoire.",
            "Chaque aide renvoie vers l'organisme qui l'attribue, avec les pièces à fournir.",
        ],
        ("financement-et-aides",),
        ("web", "ios", "android"),
        audiences=EVERYONE,
        accessibility="full",
        popularity=13_800,
    ),
    DemoApp(
        "mon-compte-micro-entrepreneur",
        "Mon compte micro-entrepreneur",
        "urssaf",
        "Déclarez votre chiffre d'affaires et payez vos cotisations depuis votre téléphone.",
        [
            "Déclarez chaque mois ou chaque trimestre en quelques secondes : le montant des "
            "cotisations est calculé immédiatement et le paiement se fait en ligne.",
            "Un rappel vous prévient avant chaque échéance, et vos attestations sont "
            "téléchargeables à tout moment.",
        ],
        ("gestion-et-administratif",),
        ("web", "ios", "android"),
        audiences=EVERYONE,
        accessibility="full",
        popularity=67_900,
    ),
    DemoApp(
        "simulateur-de-cotisations",
        "Simulateur de cotisations",
        "urssaf",
        "Estimez vos cotisations sociales et votre revenu net selon votre statut.",
        [
            "Micro-entreprise, entreprise individuelle, société : comparez ce qu'il vous "
            "resterait pour un même chiffre d'affaires, selon le statut choisi.",
            "Les calculs suivent la réglementation en vigueur et sont mis à jour à chaque "
            "changement de taux.",
        ],
        ("gestion-et-administratif", "financement-et-aides"),
        ("web",),
        audiences=EVERYONE,
        accessibility="full",
        popularity=34_200,
    ),
    DemoApp(
        "embauche-simplifiee",
        "Embauche simplifiée",
        "urssaf",
        "Déclarez une embauche et établissez les bulletins de paie de vos premiers salariés.",
        [
            "Conçu pour les très petites entreprises et les associations, ce service prend "
            "en charge la déclaration préalable à l'embauche, le calcul des cotisations et "
            "l'édition des bulletins de salaire.",
            "Le service est gratuit jusqu'à vingt salariés.",
        ],
        ("recruter", "gestion-et-administratif"),
        ("web", "ios", "android"),
        audiences=EMPLOYERS,
        accessibility="full",
        popularity=14_600,
    ),
    DemoApp(
        "cap-mentorat",
        "Cap Mentorat",
        "cap-entreprendre",
        "Un chef d'entreprise expérimenté à vos côtés pendant vos deux premières années.",
        [
            "Présentez votre projet : l'association vous met en relation avec un mentor "
            "bénévole de votre secteur ou de votre territoire.",
            "L'application sert de carnet de bord : objectifs, comptes rendus de rendez-vous, "
            "indicateurs clés de votre activité.",
        ],
        ("construire-son-projet",),
        ("web", "ios", "android"),
        audiences=EVERYONE,
        accessibility="partial",
        popularity=3_100,
    ),
    DemoApp(
        "pret-d-honneur-en-ligne",
        "Prêt d'honneur en ligne",
        "cap-entreprendre",
        "Demandez un prêt personnel à taux zéro pour renforcer les fonds propres de votre "
        "entreprise.",
        [
            "Le prêt d'honneur, sans intérêts ni garantie, facilite l'obtention d'un prêt "
            "bancaire. Déposez votre dossier en ligne, il est étudié par un comité local de "
            "chefs d'entreprise.",
            "Vous suivez chaque étape de l'instruction et préparez votre passage en comité "
            "avec des conseils personnalisés.",
        ],
        ("financement-et-aides",),
        ("web",),
        accessibility="partial",
        popularity=2_400,
    ),
    DemoApp(
        "factures-libres",
        "Factures libres",
        "libre-emploi",
        "Devis, factures et suivi des paiements pour les indépendants, en logiciel libre.",
        [
            "Factures libres produit des devis et des factures conformes, numérotés "
            "automatiquement, et suit les paiements en retard.",
            "Les données sont enregistrées localement et s'exportent vers votre comptable "
            "au format tableur.",
        ],
        ("gestion-et-administratif",),
        ("linux", "windows", "macos"),
        audiences=EMPLOYERS,
        languages=("fr", "en", "oc", "br"),
        accessibility="partial",
        popularity=5_300,
    ),
    DemoApp(
        "cap-gestion",
        "Cap Gestion",
        "cap-entreprendre",
        "Le tableau de bord de votre jeune entreprise : trésorerie, ventes et échéances.",
        [
            "Connectez votre compte bancaire professionnel : Cap Gestion classe vos "
            "opérations, prévoit votre trésorerie sur trois mois et vous alerte avant les "
            "échéances fiscales et sociales.",
            "Gratuit pendant la première année pour les entreprises accompagnées par "
            "l'association, payant ensuite.",
        ],
        ("gestion-et-administratif",),
        ("web", "ios", "android", "windows"),
        audiences=EMPLOYERS,
        pricing="freemium",
        accessibility="partial",
        popularity=2_800,
    ),
    # --- Partir à l'international ------------------------------------------------------------
    DemoApp(
        "travailler-en-europe",
        "Travailler en Europe",
        "pole-international",
        "Les offres d'emploi en Europe, et tout ce qu'il faut savoir avant de partir.",
        [
            "Consultez des offres dans trente pays européens, avec des fiches pratiques "
            "pour chacun : reconnaissance des diplômes, protection sociale, coût de la vie, "
            "démarches à l'arrivée.",
            "Des conseillers spécialisés répondent à vos questions par messagerie.",
        ],
        ("travailler-a-l-etranger",),
        ("web", "ios", "android"),
        languages=("fr", "en", "de", "es", "it"),
        accessibility="full",
        popularity=12_900,
    ),
    DemoApp(
        "vie-mode-d-emploi",
        "VIE, mode d'emploi",
        "pole-international",
        "Partez en volontariat international en entreprise : missions, conditions, candidature.",
        [
            "Le volontariat international en entreprise permet aux 18-28 ans de travailler "
            "de six à vingt-quatre mois à l'étranger pour une entreprise française.",
            "Consultez les missions ouvertes, comparez les indemnités par pays et postulez "
            "en ligne.",
        ],
        ("volontariat-international",),
        ("web",),
        audiences=EVERYONE,
        languages=("fr", "en"),
        accessibility="full",
        popularity=8_400,
    ),
    DemoApp(
        "mobilite-internationale-jeunes",
        "Mobilité internationale jeunes",
        "missions-locales",
        "Stages, volontariat et premiers emplois à l'étranger pour les jeunes de 18 à 30 ans.",
        [
            "Service civique à l'étranger, stage européen, programme vacances-travail : "
            "l'application présente chaque dispositif simplement, avec les aides au départ.",
            "Votre Mission locale peut vous accompagner dans la préparation du projet.",
        ],
        ("volontariat-international", "travailler-a-l-etranger"),
        ("web", "android"),
        accessibility="partial",
        popularity=3_700,
    ),
    DemoApp(
        "lingua-voyage",
        "Lingua Voyage",
        "lingua-studio",
        "Préparez votre départ à l'étranger avec des cours de langue centrés sur le quotidien.",
        [
            "Louer un logement, ouvrir un compte, se présenter à un employeur : Lingua "
            "Voyage enseigne les phrases dont vous aurez besoin dès les premières semaines, "
            "en anglais, espagnol, allemand ou italien.",
            "Les leçons se téléchargent pour être suivies sans connexion.",
        ],
        ("apprendre-une-langue",),
        ("ios", "android", "macos"),
        pricing="freemium",
        languages=("fr", "en", "es", "de", "it"),
        accessibility="none",
        popularity=14_300,
    ),
    DemoApp(
        "expat-demarches",
        "Expat démarches",
        "pole-international",
        "La liste de vos démarches avant, pendant et après une expatriation.",
        [
            "Sécurité sociale, retraite, impôts, banque, inscription consulaire : Expat "
            "démarches établit votre liste personnalisée selon le pays et la durée du séjour.",
            "Chaque démarche est datée et accompagnée d'un lien vers le service concerné.",
        ],
        ("travailler-a-l-etranger",),
        ("web", "ios"),
        languages=("fr", "en"),
        accessibility="full",
        popularity=6_100,
    ),
    DemoApp(
        "lingua-allemand-pro",
        "Lingua Allemand Pro",
        "lingua-studio",
        "L'allemand professionnel pour travailler en Allemagne, en Autriche ou en Suisse.",
        [
            "Un parcours intensif de douze semaines, du niveau A2 au niveau B1, avec des "
            "mises en situation dans l'industrie, la santé et l'hôtellerie.",
            "Une séance de conversation avec un professeur est incluse chaque semaine.",
        ],
        ("apprendre-une-langue",),
        ("ios", "android", "windows"),
        pricing="paid",
        languages=("fr", "de"),
        accessibility="none",
        popularity=2_300,
    ),
    DemoApp(
        "export-starter",
        "Export Starter",
        "pole-international",
        "Testez le potentiel de votre entreprise à l'export et trouvez les bons interlocuteurs.",
        [
            "Un autodiagnostic en vingt questions évalue votre préparation à l'export : "
            "produit, organisation, moyens financiers.",
            "Selon vos réponses, Export Starter vous oriente vers les aides, les salons "
            "professionnels et les conseillers de votre région.",
        ],
        ("travailler-a-l-etranger", "construire-son-projet"),
        ("web",),
        audiences=EMPLOYERS,
        languages=("fr", "en"),
        accessibility="partial",
        popularity=1_900,
    ),
]

COLLECTIONS = [
    DemoCollection(
        "bien-demarrer",
        "Pour bien démarrer sa recherche",
        "Les services essentiels pour chercher un emploi et préparer ses candidatures.",
        True,
        (
            "offres-d-emploi",
            "cv-express",
            "entretien-coach",
            "trouver-ma-formation",
            "metiers-360",
            "bouger-pour-l-emploi",
        ),
    ),
    DemoCollection(
        "creer-son-activite",
        "Créer son activité",
        "Du projet à la gestion quotidienne : les outils des créateurs d'entreprise.",
        True,
        (
            "parcours-creation",
            "boussole-des-aides",
            "business-plan-facile",
            "mon-compte-micro-entrepreneur",
            "cap-mentorat",
            "factures-libres",
        ),
    ),
    DemoCollection(
        "jeunes-premiers-pas",
        "Jeunes : premiers pas vers l'emploi",
        "Alternance, stages, parrainage, logement : pour les 16-25 ans.",
        True,
        (
            "alternance-express",
            "stagio",
            "parrainage-emploi",
            "vis-ma-vie-de-pro",
            "logement-jeunes-actifs",
            "permis-solidaire",
        ),
    ),
    DemoCollection(
        "logiciels-libres",
        "Logiciels libres pour l'emploi",
        "Des logiciels libres, gratuits et respectueux de vos données.",
        False,
        ("cv-libre", "factures-libres", "bureautique-facile", "badgeo", "codeo"),
    ),
    DemoCollection(
        "recruteurs",
        "Pour les recruteurs",
        "Publier une offre, trier les candidatures, déclarer une embauche.",
        False,
        ("espace-recruteur", "talentis-recrutement", "embauche-simplifiee", "embauche-locale"),
    ),
]

# Local demo only: `load_demo` refuses to run in production.
ACCOUNTS = [
    DemoAccount("admin", "admin-demo", "Camille", "Martin", "superuser"),
    DemoAccount("editeur", "editeur-demo", "Sacha", "Bernard", "editor"),
    DemoAccount("membre", "membre-demo", "Dominique", "Petit", "france-travail"),
]
