"""The first text of the legal pages, as migration 0003 creates them (editors edit them after).

Not a migration (its name starts with "_"). Each page: slug, French and English title, and its
body in each language as StreamField blocks: ("text", html) or a generated block's name.
Bracketed "[à compléter …]" parts are the operator's to fill in (identity, host, contacts).
"""

STATEMENT_DATE_FR = "3 décembre 2026"
STATEMENT_DATE_EN = "3 December 2026"

ACCESSIBILITY = {
    "kind": "accessibility",
    "slug": "accessibilite",
    "title": "Déclaration d'accessibilité",
    "title_en": "Accessibility statement",
    "body": [
        (
            "text",
            """<p>Le service public de l'emploi s'engage à rendre ses sites internet, intranet, extranet et ses progiciels accessibles (et ses applications mobiles et mobilier urbain numérique) conformément à l'article 47 de la loi n° 2005-102 du 11 février 2005.</p>
<p>Cette déclaration d'accessibilité s'applique au site <b>Emploi Store</b>, le catalogue public des services numériques pour l'emploi.</p>
<h2>État de conformité</h2>""",
        ),
        "compliance_status",
        (
            "text",
            """<h2>Résultats des tests</h2>
<p>Aucun audit de conformité au RGAA n'a encore été réalisé. En attendant, chaque modification du site passe des tests automatisés ; leurs derniers résultats :</p>""",
        ),
        "accessibility_results",
        (
            "text",
            """<h2>Contenus non accessibles</h2>
<h3>Non-conformités</h3>
<p>Sans audit, la liste des non-conformités au RGAA n'est pas établie. Les tests automatisés ne relèvent aucune non-conformité grave ou critique sur les pages vérifiées ; les points qu'ils ne peuvent pas trancher restent à vérifier à la main.</p>
<h3>Dérogations pour charge disproportionnée</h3>
<p>Aucune.</p>
<h3>Contenus non soumis à l'obligation d'accessibilité</h3>
<ul>
<li>Les applications présentées dans le catalogue et les sites de leurs éditeurs, qui ne sont ni financés, ni développés par le service public de l'emploi : chaque fiche indique le niveau d'accessibilité déclaré par l'éditeur de l'application.</li>
<li>Les textes, icônes et captures d'écran fournis par les éditeurs pour présenter leurs applications.</li>
</ul>
<h2>Établissement de cette déclaration d'accessibilité</h2>
<p>Cette déclaration a été établie le """
            + STATEMENT_DATE_FR
            + """.</p>
<h3>Technologies utilisées pour la réalisation du site</h3>
<ul><li>HTML5</li><li>CSS (système de design de l'État, DSFR)</li><li>JavaScript (facultatif : chaque page fonctionne sans)</li></ul>""",
        ),
        "accessibility_method",
        (
            "text",
            """<h2>Retour d'information et contact</h2>
<p>Si vous n'arrivez pas à accéder à un contenu ou à un service, vous pouvez contacter le responsable du site pour être orienté vers une alternative accessible ou obtenir le contenu sous une autre forme :</p>
<ul>
<li>sur la page d'une application, avec le formulaire « Signaler un problème », motif « Problème d'accessibilité » ;</li>
<li>par courrier électronique : [adresse de contact à compléter par l'exploitant du site].</li>
</ul>
<h2>Voies de recours</h2>
<p>Cette procédure est à utiliser dans le cas suivant : vous avez signalé au responsable du site un défaut d'accessibilité qui vous empêche d'accéder à un contenu ou à un des services du site et vous n'avez pas obtenu de réponse satisfaisante.</p>
<ul>
<li>Écrire un message au Défenseur des droits (<a href="https://formulaire.defenseurdesdroits.fr/">https://formulaire.defenseurdesdroits.fr/</a>)</li>
<li>Contacter le délégué du Défenseur des droits dans votre région (<a href="https://www.defenseurdesdroits.fr/carte-des-delegues">https://www.defenseurdesdroits.fr/carte-des-delegues</a>)</li>
<li>Envoyer un courrier par la poste (gratuit, ne pas mettre de timbre) : Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07</li>
</ul>""",
        ),
    ],
    "body_en": [
        (
            "text",
            """<p>The public employment service undertakes to make its websites, intranets, extranets and software accessible (as well as its mobile applications and digital street furniture) in accordance with article 47 of French law no. 2005-102 of 11 February 2005.</p>
<p>This accessibility statement applies to the <b>Emploi Store</b> website, the public catalogue of digital services for employment.</p>
<h2>Compliance status</h2>""",
        ),
        "compliance_status",
        (
            "text",
            """<h2>Test results</h2>
<p>No RGAA compliance audit has been carried out yet. Meanwhile, every change to the site goes through automated tests; their latest results:</p>""",
        ),
        "accessibility_results",
        (
            "text",
            """<h2>Non-accessible content</h2>
<h3>Non-compliance</h3>
<p>Without an audit, the list of RGAA non-compliances is not established. The automated tests find no serious or critical violation on the pages checked; what they cannot decide remains to be checked by hand.</p>
<h3>Exemptions for disproportionate burden</h3>
<p>None.</p>
<h3>Content not subject to the accessibility obligation</h3>
<ul>
<li>The applications listed in the catalogue and their publishers' websites, neither funded nor developed by the public employment service: each app page gives the accessibility level its publisher declares.</li>
<li>The texts, icons and screenshots publishers provide to present their applications.</li>
</ul>
<h2>Preparation of this accessibility statement</h2>
<p>This statement was drawn up on """
            + STATEMENT_DATE_EN
            + """.</p>
<h3>Technologies used to build the site</h3>
<ul><li>HTML5</li><li>CSS (the French State design system, DSFR)</li><li>JavaScript (optional: every page works without it)</li></ul>""",
        ),
        "accessibility_method",
        (
            "text",
            """<h2>Feedback and contact</h2>
<p>If you cannot access some content or a service, you can contact the person in charge of the site to be directed to an accessible alternative or to get the content in another form:</p>
<ul>
<li>on an application's page, with the "Report a problem" form, reason "Accessibility problem";</li>
<li>by e-mail: [contact address to be filled in by the site's operator].</li>
</ul>
<h2>Legal remedies</h2>
<p>Use this procedure if you have reported to the person in charge of the site an accessibility defect that prevents you from accessing some content or service of the site, and you have not received a satisfactory answer.</p>
<ul>
<li>Write a message to the Défenseur des droits (<a href="https://formulaire.defenseurdesdroits.fr/">https://formulaire.defenseurdesdroits.fr/</a>)</li>
<li>Contact the Défenseur des droits' delegate in your region (<a href="https://www.defenseurdesdroits.fr/carte-des-delegues">https://www.defenseurdesdroits.fr/carte-des-delegues</a>)</li>
<li>Send a letter by post (free of charge, no stamp needed): Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07</li>
</ul>""",
        ),
    ],
}

LEGAL_NOTICE = {
    "kind": "legal_notice",
    "slug": "mentions-legales",
    "title": "Mentions légales",
    "title_en": "Legal notice",
    "body": [
        (
            "text",
            """<h2>Éditeur du site</h2>
<p>Emploi Store est édité par le service public de l'emploi : [nom, adresse et numéro de téléphone de l'organisme exploitant, à compléter].</p>
<h2>Directeur ou directrice de la publication</h2>
<p>[Nom et fonction, à compléter par l'exploitant.]</p>
<h2>Hébergement</h2>
<p>[Nom, adresse et numéro de téléphone de l'hébergeur, à compléter par l'exploitant.]</p>
<h2>Contenus et licence</h2>
<p>Sauf mention contraire, les contenus de ce site sont proposés sous licence Etalab 2.0 (licence ouverte). Les noms, descriptions, icônes et captures d'écran des applications sont fournis par leurs éditeurs et restent leur propriété ; les avis sont ceux de leurs auteurs.</p>
<p>Le code source du site est publié sous licence EUPL 1.2.</p>
<h2>Liens vers d'autres sites</h2>
<p>Les fiches renvoient vers les magasins d'applications et les sites des éditeurs, qui ne sont pas sous le contrôle du service public de l'emploi.</p>
<h2>Accessibilité et données personnelles</h2>
<p>Voir la déclaration d'accessibilité (<a href="/accessibilite/">/accessibilite/</a>), la page « Données personnelles » (<a href="/donnees-personnelles/">/donnees-personnelles/</a>) et la page « Gestion des cookies » (<a href="/gestion-des-cookies/">/gestion-des-cookies/</a>).</p>""",
        ),
    ],
    "body_en": [
        (
            "text",
            """<h2>Publisher of the site</h2>
<p>Emploi Store is published by the public employment service: [name, address and telephone number of the operating body, to be filled in].</p>
<h2>Publication director</h2>
<p>[Name and position, to be filled in by the operator.]</p>
<h2>Hosting</h2>
<p>[Name, address and telephone number of the host, to be filled in by the operator.]</p>
<h2>Content and licence</h2>
<p>Unless stated otherwise, the content of this site is available under the Etalab 2.0 open licence. Application names, descriptions, icons and screenshots are provided by their publishers and remain theirs; reviews are their authors'.</p>
<p>The site's source code is published under the EUPL 1.2 licence.</p>
<h2>Links to other sites</h2>
<p>App pages link to app stores and publishers' websites, which are not under the public employment service's control.</p>
<h2>Accessibility and personal data</h2>
<p>See the accessibility statement (<a href="/accessibilite/">/accessibilite/</a>), the "Personal data" page (<a href="/donnees-personnelles/">/donnees-personnelles/</a>) and the "Cookies" page (<a href="/gestion-des-cookies/">/gestion-des-cookies/</a>).</p>""",
        ),
    ],
}

PERSONAL_DATA = {
    "kind": "personal_data",
    "slug": "donnees-personnelles",
    "title": "Données personnelles",
    "title_en": "Personal data",
    "body": [
        (
            "text",
            """<h2>Responsable du traitement</h2>
<p>[Organisme exploitant et coordonnées de son délégué ou sa déléguée à la protection des données, à compléter.]</p>
<h2>Ce que nous gardons, et pourquoi</h2>
<ul>
<li><b>Votre compte</b> : identifiant, adresse e-mail, nom et prénom si vous les donnez, mot de passe (haché, jamais lisible), langue, préférences de notification, dates d'inscription et de dernière connexion. Pour vous connecter, garder vos favoris et signer vos avis.</li>
<li><b>Vos contributions</b> : vos avis (avec leur statut de modération et le motif d'une décision), les votes « utile » et les signalements d'avis que vous faites, les réponses que vous écrivez au nom d'un éditeur, vos favoris, vos signalements de problème sur une application.</li>
<li><b>Si vous êtes membre d'un éditeur</b> : les éditeurs dont vous êtes membre.</li>
<li><b>Sans compte</b> : l'adresse e-mail que vous laissez, si vous le souhaitez, avec un signalement de problème, pour qu'on vous réponde.</li>
</ul>
<p>Ces traitements relèvent de la mission de service public du service public de l'emploi (article 6.1.e du RGPD). Aucune donnée n'est vendue ni cédée ; aucun outil de mesure d'audience ni de publicité n'est utilisé. Vos avis publiés sont signés de votre prénom et de l'initiale de votre nom (ou de votre identifiant), jamais de votre adresse e-mail.</p>
<h2>Qui y a accès</h2>
<p>L'équipe éditoriale (modération des avis, traitement des signalements) et les équipes techniques qui exploitent le site. Les éditeurs voient les avis publiés sur leurs applications, comme tout visiteur.</p>
<h2>Combien de temps</h2>""",
        ),
        "retention_periods",
        (
            "text",
            """<h2>Vos droits</h2>
<p>Vous disposez d'un droit d'accès, de rectification, d'effacement, de limitation, d'opposition et de portabilité de vos données. Depuis « Mon compte » (<a href="/compte/">/compte/</a>), vous pouvez vous-même :</p>
<ul>
<li>télécharger toutes vos données, en JSON ou en page lisible (<a href="/compte/donnees/">/compte/donnees/</a>) — aussi par l'API : GET /api/v1/me/export/ ;</li>
<li>corriger votre nom, votre adresse e-mail (confirmée par un lien), votre mot de passe, votre langue et vos préférences (<a href="/compte/profil/">/compte/profil/</a>) ;</li>
<li>supprimer votre compte (<a href="/compte/supprimer/">/compte/supprimer/</a>) — aussi par l'API : DELETE /api/v1/me/. Vos avis sont alors supprimés, ou gardés sous le nom « Utilisateur supprimé », selon votre choix.</li>
</ul>
<p>Pour toute autre demande : [adresse de contact à compléter]. Si vous estimez que vos droits ne sont pas respectés, vous pouvez adresser une réclamation à la CNIL (<a href="https://www.cnil.fr/">https://www.cnil.fr/</a>).</p>
<h2>Cookies</h2>
<p>Le site ne dépose que des cookies nécessaires à son fonctionnement : voir « Gestion des cookies » (<a href="/gestion-des-cookies/">/gestion-des-cookies/</a>).</p>""",
        ),
    ],
    "body_en": [
        (
            "text",
            """<h2>Data controller</h2>
<p>[Operating body and the contact details of its data protection officer, to be filled in.]</p>
<h2>What we keep, and why</h2>
<ul>
<li><b>Your account</b>: username, e-mail address, first and last name if you give them, password (hashed, never readable), language, notification preferences, sign-up and last sign-in dates. To sign you in, keep your favourites and sign your reviews.</li>
<li><b>Your contributions</b>: your reviews (with their moderation status and the reason for a decision), the "helpful" votes and review reports you make, the replies you write on behalf of a publisher, your favourites, your problem reports about an application.</li>
<li><b>If you are a publisher member</b>: the publishers you are a member of.</li>
<li><b>Without an account</b>: the e-mail address you may leave with a problem report, so that we can answer.</li>
</ul>
<p>This processing is part of the public employment service's public-interest task (article 6.1.e of the GDPR). No data is sold or passed on; no audience measurement or advertising tool is used. Your published reviews are signed with your first name and the initial of your last name (or your username), never your e-mail address.</p>
<h2>Who can see it</h2>
<p>The editorial team (review moderation, problem reports) and the technical teams that run the site. Publishers see the reviews published about their applications, like any visitor.</p>
<h2>How long</h2>""",
        ),
        "retention_periods",
        (
            "text",
            """<h2>Your rights</h2>
<p>You have the right to access, rectify, erase, restrict, object to and port your data. From "My account" (<a href="/compte/">/compte/</a>), you can yourself:</p>
<ul>
<li>download all your data, as JSON or as a readable page (<a href="/compte/donnees/">/compte/donnees/</a>) — also through the API: GET /api/v1/me/export/;</li>
<li>correct your name, your e-mail address (confirmed by a link), your password, your language and your preferences (<a href="/compte/profil/">/compte/profil/</a>);</li>
<li>delete your account (<a href="/compte/supprimer/">/compte/supprimer/</a>) — also through the API: DELETE /api/v1/me/. Your reviews are then deleted, or kept under the name "Deleted user", as you choose.</li>
</ul>
<p>For any other request: [contact address to be filled in]. If you think your rights are not respected, you can lodge a complaint with the CNIL (<a href="https://www.cnil.fr/">https://www.cnil.fr/</a>).</p>
<h2>Cookies</h2>
<p>The site only sets the cookies it needs to work: see "Cookies" (<a href="/gestion-des-cookies/">/gestion-des-cookies/</a>).</p>""",
        ),
    ],
}

COOKIES = {
    "kind": "cookies",
    "slug": "gestion-des-cookies",
    "title": "Gestion des cookies",
    "title_en": "Cookies",
    "body": [
        (
            "text",
            """<p>Ce site ne dépose que des cookies strictement nécessaires à son fonctionnement : la session (pour rester connecté), la protection des formulaires (CSRF) et la langue choisie. Aucun cookie de mesure d'audience, de publicité ni de réseau social ; aucune police, vidéo, carte ou script n'est chargé depuis un autre site. Ces cookies étant exemptés de consentement, aucun bandeau ne vous le demande.</p>""",
        ),
        "cookies",
        (
            "text",
            """<p>Vous pouvez les supprimer à tout moment dans les réglages de votre navigateur : vous serez alors déconnecté(e) et le site reviendra en français.</p>""",
        ),
    ],
    "body_en": [
        (
            "text",
            """<p>This site only sets the cookies strictly necessary for it to work: the session (to stay signed in), form protection (CSRF) and the language you chose. No audience measurement, advertising or social network cookie; no font, video, map or script is loaded from another site. As these cookies need no consent, no banner asks for it.</p>""",
        ),
        "cookies",
        (
            "text",
            """<p>You can delete them at any time in your browser's settings: you will then be signed out and the site will be back in French.</p>""",
        ),
    ],
}

SITEMAP = {
    "kind": "sitemap",
    "slug": "plan-du-site",
    "title": "Plan du site",
    "title_en": "Site map",
    "body": [("text", "<p>Toutes les rubriques du site.</p>"), "sitemap"],
    "body_en": [("text", "<p>Every section of the site.</p>"), "sitemap"],
}

PAGES = [ACCESSIBILITY, LEGAL_NOTICE, PERSONAL_DATA, COOKIES, SITEMAP]
