"""What notices say, in English and in French (the recipient's choice).

Each text is a :meth:`str.format` template; :mod:`sentinelle.notices.compose` fills it in.
"""

from __future__ import annotations

from typing import Final

MONTHS_FR: Final = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)

WORDING: Final[dict[str, dict[str, str]]] = {
    "en": {
        "subject": "[{reference}] Removal request from {org}: {count} URL(s)",
        "greeting": "To {name},",
        "intro": (
            "{org} has found the material listed below on a service you operate or host. Each "
            "file matches, by its hashes, material that analysts have classified as child sexual "
            "abuse material or as harmful-abusive material depicting children.\n\n"
            "We ask you to remove it, or to disable access to it, without delay. Do not open, "
            "download or forward the files: the URLs and hashes below identify them. Please keep "
            "the related records (logs, account details) in case law enforcement asks for them."
        ),
        "summary": "Reference: {reference}\nItems: {count}\nPeriod covered: {start} to {end}",
        "attached": "A machine-readable copy of each item (XARF v4, JSON) is attached.",
        "respond": (
            "To tell us what you did (removed the material, dispute the request, or ask a "
            "question), answer here; no account is needed:\n{link}"
        ),
        "closing": (
            "Please quote {reference} in any reply. This message may reach you more than once; "
            "every copy carries the same Message-ID, {message_id}, and copies can be discarded."
        ),
        "category": "Category",
        "legal_basis": "Legal basis",
        "first_seen": "First seen",
        "last_verified": "Last verified live",
        "report": "XARF report",
        "csam": "Child sexual abuse material (csam)",
        "harmful-abusive": "Harmful-abusive material depicting children (harmful-abusive)",
        "basis:csam": (
            "Possessing, hosting or distributing child sexual abuse material is a crime in "
            "almost every country."
        ),
        "basis:harmful-abusive": (
            "Removal requested under your terms of service: the material shows children in a "
            "sexualised or abusive way."
        ),
        "retraction_subject": "[{reference}] Retraction of {count} item(s) of notice {original}",
        "retraction_intro": (
            "We withdraw our request for the items below, which our notice {original} "
            "({sent}) asked you to remove. After review they no longer meet the criteria for "
            "a notice. You need not act on them; if you have already removed them, nothing "
            "more is needed.\n\n"
            "The other items of notice {original}, if any, are not affected."
        ),
        "retraction_summary": "Reference: {reference}\nWithdrawn items: {count}",
        "date": "{year:04d}-{month:02d}-{day:02d} {hour:02d}:{minute:02d} UTC",
        "colon": ": ",
    },
    "fr": {
        "subject": "[{reference}] Demande de retrait de {org} : {count} URL",
        "greeting": "À l'attention de {name},",
        "intro": (
            "{org} a repéré les contenus énumérés ci-dessous sur un service que vous exploitez "
            "ou hébergez. Chaque fichier correspond, par ses empreintes numériques, à un contenu "
            "que des analystes ont classé comme matériel d'abus pédosexuel ou comme contenu "
            "préjudiciable et abusif représentant des enfants.\n\n"
            "Nous vous demandons de les retirer, ou d'en bloquer l'accès, sans délai. N'ouvrez "
            "pas, ne téléchargez pas et ne transférez pas les fichiers : les adresses et les "
            "empreintes ci-dessous suffisent à les identifier. Veuillez conserver les données "
            "qui s'y rapportent (journaux, renseignements sur les comptes) au cas où les forces "
            "de l'ordre vous les demanderaient."
        ),
        "summary": "Référence : {reference}\nÉléments : {count}\nPériode couverte : du {start} au {end}",
        "attached": "Une copie de chaque élément lisible par machine (XARF v4, JSON) est jointe.",
        "respond": (
            "Pour nous dire ce que vous avez fait (contenu retiré, contestation de la demande ou "
            "question), répondez ici ; aucun compte n'est nécessaire :\n{link}"
        ),
        "closing": (
            "Veuillez rappeler la référence {reference} dans toute réponse. Ce message peut vous "
            "parvenir plus d'une fois ; chaque copie porte le même Message-ID, {message_id}, et "
            "les copies peuvent être ignorées."
        ),
        "category": "Catégorie",
        "legal_basis": "Fondement juridique",
        "first_seen": "Vu pour la première fois",
        "last_verified": "Dernière vérification en ligne",
        "report": "Rapport XARF",
        "csam": "Matériel d'abus pédosexuel (csam)",
        "harmful-abusive": "Contenu préjudiciable et abusif représentant des enfants (harmful-abusive)",
        "basis:csam": (
            "La possession, l'hébergement et la diffusion de matériel d'abus pédosexuel sont "
            "des infractions criminelles dans la quasi-totalité des pays."
        ),
        "basis:harmful-abusive": (
            "Retrait demandé en vertu de vos conditions d'utilisation : le contenu montre des "
            "enfants de manière sexualisée ou abusive."
        ),
        "retraction_subject": "[{reference}] Retrait de {count} élément(s) de l'avis {original}",
        "retraction_intro": (
            "Nous retirons notre demande concernant les éléments ci-dessous, dont notre avis "
            "{original} ({sent}) vous demandait le retrait. Après examen, ils ne répondent plus "
            "aux critères d'un avis. Vous n'avez aucune mesure à prendre à leur égard ; si vous "
            "les avez déjà retirés, rien de plus n'est nécessaire.\n\n"
            "Les autres éléments de l'avis {original}, s'il y en a, ne sont pas touchés."
        ),
        "retraction_summary": "Référence : {reference}\nÉléments retirés : {count}",
        "date": "{day}{first} {month_name} {year:04d} à {hour} h {minute:02d} UTC",
        "colon": " : ",
    },
}
