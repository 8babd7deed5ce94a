"""What reminders and escalations say, in English and in French (beside :mod:`.wording`)."""

from __future__ import annotations

from typing import Final

FOLLOW_UP_WORDING: Final[dict[str, dict[str, str]]] = {
    "en": {
        "reminder_subject": "[{reference}] Reminder: {count} URL(s) of notice {original} still online",
        "reminder_intro": (
            "On {sent}, our notice {original} asked you to remove the material listed below. "
            "When we checked again, it was still online.\n\n"
            "We ask you again to remove it, or to disable access to it, without delay. We will "
            "keep checking; if it stays online, we may refer the matter to the network that "
            "routes your addresses, to the hotline of the country it is hosted in, or to law "
            "enforcement."
        ),
        "reminder_summary": "Reference: {reference}\nFollows notice: {original}\nItems still online: {count}",
        "escalation_subject": "[{reference}] Escalation from {org}: {count} URL(s) still online",
        "escalation_intro:upstream": (
            "{org} has found the material listed below on a network you route. Each file "
            "matches, by its hashes, material that analysts have classified as child sexual "
            "abuse material or as harmful-abusive material depicting children.\n\n"
            "On {sent} we asked {host} to remove it (our notice {original}), and reminded them "
            "{reminders} time(s) since. It is still online. We ask you to have it removed, or "
            "access to it disabled, without delay. Do not open, download or forward the files: "
            "the URLs and hashes below identify them."
        ),
        "escalation_intro:hotline": (
            "{org} has found the material listed below hosted in your country. Each file "
            "matches, by its hashes, material that analysts have classified as child sexual "
            "abuse material or as harmful-abusive material depicting children.\n\n"
            "On {sent} we asked {host} to remove it (our notice {original}), and reminded them "
            "{reminders} time(s) since. It is still online. We ask you to act on it through "
            "your national procedures. Do not open, download or forward the files: the URLs and "
            "hashes below identify them."
        ),
        "escalation_summary": "Reference: {reference}\nFirst notice: {original}, to {host}\nItems still online: {count}",
    },
    "fr": {
        "reminder_subject": "[{reference}] Rappel : {count} URL de l'avis {original} toujours en ligne",
        "reminder_intro": (
            "Le {sent}, notre avis {original} vous demandait de retirer les contenus énumérés "
            "ci-dessous. Lors de notre nouvelle vérification, ils étaient toujours en ligne.\n\n"
            "Nous vous demandons de nouveau de les retirer, ou d'en bloquer l'accès, sans "
            "délai. Nous continuerons de vérifier ; s'ils restent en ligne, nous pourrons saisir "
            "le réseau qui achemine vos adresses, la ligne de signalement du pays où ils sont "
            "hébergés ou les forces de l'ordre."
        ),
        "reminder_summary": "Référence : {reference}\nFait suite à l'avis : {original}\nÉléments toujours en ligne : {count}",
        "escalation_subject": "[{reference}] Signalement de {org} : {count} URL toujours en ligne",
        "escalation_intro:upstream": (
            "{org} a repéré les contenus énumérés ci-dessous sur un réseau que vous acheminez. "
            "Chaque fichier correspond, par ses empreintes numériques, à un contenu que des "
            "analystes ont classé comme matériel d'abus pédosexuel ou comme contenu préjudiciable "
            "et abusif représentant des enfants.\n\n"
            "Le {sent}, nous avons demandé à {host} de les retirer (notre avis {original}), puis "
            "lui avons envoyé {reminders} rappel(s). Ils sont toujours en ligne. Nous vous "
            "demandons de les faire retirer, ou d'en faire bloquer l'accès, sans délai. N'ouvrez "
            "pas, ne téléchargez pas et ne transférez pas les fichiers : les adresses et les "
            "empreintes ci-dessous suffisent à les identifier."
        ),
        "escalation_intro:hotline": (
            "{org} a repéré les contenus énumérés ci-dessous, hébergés dans votre pays. Chaque "
            "fichier correspond, par ses empreintes numériques, à un contenu que des analystes "
            "ont classé comme matériel d'abus pédosexuel ou comme contenu préjudiciable et "
            "abusif représentant des enfants.\n\n"
            "Le {sent}, nous avons demandé à {host} de les retirer (notre avis {original}), puis "
            "lui avons envoyé {reminders} rappel(s). Ils sont toujours en ligne. Nous vous "
            "demandons d'agir selon vos procédures nationales. N'ouvrez pas, ne téléchargez pas "
            "et ne transférez pas les fichiers : les adresses et les empreintes ci-dessous "
            "suffisent à les identifier."
        ),
        "escalation_summary": "Référence : {reference}\nPremier avis : {original}, à {host}\nÉléments toujours en ligne : {count}",
    },
}
