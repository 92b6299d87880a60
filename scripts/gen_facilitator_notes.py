"""Write the facilitator notes of every library scenario, in English and French
(run after changing scenarios/ or sandbox/common/actions.py): docs/trainers/notes/ID.md
and ID.fr.md, the index of the notes, and the French pages of the other generated
references (docs/trainers/scenarios.fr.md, docs/reference/actions.fr.md).

Everything comes from the scenario file: the learning points are its objectives, the
model solution is its `solution` told in words (action names in plain language, as on
the action reference page), the mistakes are what its `sloppy` attempt does differently
and the score it must get, the discussion questions come from the rules' titles and
feedback, the timing from its duration and injects. A test regenerates the pages and
compares them with the files, so a scenario and its notes never disagree.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
NOTES = Path("docs") / "trainers" / "notes"
LANGUAGES = ("en", "fr")


def action_words(name: str, lang: str) -> str:
    """What an action does, in plain words: its line on the action reference page (English
    from sandbox/common/actions.py, French from the French reference below)."""
    from sandbox.common.actions import ACTIONS

    summary = next((a.summary for a in ACTIONS if a.name == name), name)
    if lang == "fr":
        summary = ACTION_SUMMARY_FR.get(name, summary)
    return summary.rstrip(".")


#: The parameters worth saying in words, and their label per language.
PARAMS: dict[str, dict[str, str]] = {
    "kind": {"en": "approval of", "fr": "approbation de"},
    "consent_type": {"en": "type", "fr": "type"},
    "given": {"en": "given", "fr": "donné"},
    "given_by": {"en": "given by", "fr": "donné par"},
    "service_type": {"en": "service", "fr": "service"},
    "to": {"en": "to", "fr": "à"},
    "urgency": {"en": "urgency", "fr": "urgence"},
    "query": {"en": "searching for", "fr": "recherche"},
    "followup_type": {"en": "type", "fr": "type"},
    "decision": {"en": "decision", "fr": "décision"},
    "reason": {"en": "reason", "fr": "motif"},
    "subject": {"en": "subject", "fr": "objet"},
    "risk_level": {"en": "risk level", "fr": "niveau de risque"},
    "closure_reason": {"en": "closure reason", "fr": "motif de clôture"},
}

TEXT: dict[str, dict[str, str]] = {
    "en": {
        "intro": "Facilitator notes generated from `{path}` (version {version}) by "
        "`python -m scripts.gen_facilitator_notes`; a test keeps them in step with the file.",
        "summary": "Level: **{difficulty}** · exercise: **{minutes} minutes** · bundle `{config}` · "
        "languages: {languages} · pass mark: **{pass_mark}%**",
        "brief": "The trainees' brief",
        "points": "Learning points",
        "timing": "Timing",
        "timing_rows": "| part | minutes |\n|---|---|\n| Introduce the scenario and the roles | 10 |\n"
        "| Trainees work in the sandbox | {minutes} |\n| Debrief with the results | {debrief} |\n"
        "| **Total** | **{total}** |\n",
        "injects": "During the exercise these messages arrive (the board shows them too):",
        "no_injects": "No message arrives during this exercise: you may add one from the board.",
        "roles": "Roles",
        "played": {"trainee": "played by a trainee", "simulated": "simulated by the sandbox"},
        "solution": "The model solution, step by step",
        "solution_intro": "What a careful case worker does; the sandbox's simulated colleagues "
        "answer as the scenario says.",
        "advance": "The simulated clock moves on {d}.",
        "mistakes": "The mistakes the careless attempt shows",
        "mistakes_intro": "The scenario carries a plausible but careless attempt; it must score "
        "**{score}%** (pass mark {pass_mark}%). Play it yourself before the session "
        "to see its report.",
        "author": "As the author describes it:",
        "left_out": "What it leaves out, compared with the model solution:",
        "extra": "What it does that the model solution does not:",
        "nothing": "nothing",
        "rules_lost": "Rules that check what it leaves out:",
        "no_sloppy": "This scenario has no careless attempt: ask the trainees which steps could be skipped "
        "under time pressure, and what each would cost the child.",
        "rules": "What is scored",
        "rules_head": "| rule | points |\n|---|---|\n",
        "penalty": "penalty {n}",
        "questions": "Discussion questions",
        "questions_intro": "Ask them in the debrief, one per rule; what to listen for is the rule's "
        "feedback, which trainees also read in their report.",
        "ask": "Why does this matter: *{title}*?",
        "author_questions": "The scenario's own questions (also on the exercise's debrief page):",
        "rule_questions": "Then, one per rule:",
        "listen": "Listen for",
        "index_title": "Facilitator notes",
        "untitled": "(untitled rule)",
        "index_intro": "One page per scenario of the library, generated from the scenario files "
        "by `python -m scripts.gen_facilitator_notes`. See also "
        "[the scenario library](../scenarios.md) and "
        "[running a session in the sandbox](../running-a-session.md).",
        "index_head": "| scenario | level | minutes | careless attempt scores |\n|---|---|---|---|\n",
        "none": "—",
    },
    "fr": {
        "intro": "Notes du facilitateur générées à partir de `{path}` (version {version}) par "
        "`python -m scripts.gen_facilitator_notes` ; un test les garde en accord avec le fichier.",
        "summary": "Niveau : **{difficulty}** · exercice : **{minutes} minutes** · paquet `{config}` · "
        "langues : {languages} · seuil de réussite : **{pass_mark} %**",
        "brief": "La consigne des participant·es",
        "points": "Points d'apprentissage",
        "timing": "Déroulé",
        "timing_rows": "| partie | minutes |\n|---|---|\n| Présenter le scénario et les rôles | 10 |\n"
        "| Les participant·es travaillent dans le bac à sable | {minutes} |\n"
        "| Débriefing à partir des résultats | {debrief} |\n| **Total** | **{total}** |\n",
        "injects": "Pendant l'exercice, ces messages arrivent (le tableau de bord les affiche aussi) :",
        "no_injects": "Aucun message n'arrive pendant cet exercice : vous pouvez en envoyer un depuis "
        "le tableau de bord.",
        "roles": "Rôles",
        "played": {"trainee": "joué par un·e participant·e", "simulated": "simulé par le bac à sable"},
        "solution": "La solution modèle, étape par étape",
        "solution_intro": "Ce que fait un travailleur social attentif ; les collègues simulés du bac à "
        "sable répondent comme le prévoit le scénario.",
        "advance": "L'horloge simulée avance de {d}.",
        "mistakes": "Les erreurs que montre la tentative négligente",
        "mistakes_intro": "Le scénario contient une tentative plausible mais négligente ; elle doit obtenir "
        "**{score} %** (seuil de réussite {pass_mark} %). Jouez-la vous-même avant la "
        "séance pour voir son rapport.",
        "author": "Telle que l'auteur la décrit (en anglais) :",
        "left_out": "Ce qu'elle omet par rapport à la solution modèle :",
        "extra": "Ce qu'elle fait que la solution modèle ne fait pas :",
        "nothing": "rien",
        "rules_lost": "Règles qui vérifient ce qu'elle omet :",
        "no_sloppy": "Ce scénario n'a pas de tentative négligente : demandez aux participant·es quelles "
        "étapes pourraient être sautées sous la pression du temps, et ce que chacune coûterait "
        "à l'enfant.",
        "rules": "Ce qui est noté",
        "rules_head": "| règle | points |\n|---|---|\n",
        "penalty": "pénalité {n}",
        "questions": "Questions pour la discussion",
        "questions_intro": "Posez-les pendant le débriefing, une par règle ; ce qu'il faut entendre est "
        "le commentaire de la règle, que les participant·es lisent aussi dans leur rapport.",
        "ask": "Pourquoi est-ce important : *{title}* ?",
        "author_questions": "Les questions du scénario (aussi sur la page de débriefing de l'exercice) :",
        "rule_questions": "Puis, une par règle :",
        "listen": "À entendre",
        "index_title": "Notes du facilitateur",
        "untitled": "(règle sans titre)",
        "index_intro": "Une page par scénario de la bibliothèque, générée à partir des fichiers de "
        "scénario par `python -m scripts.gen_facilitator_notes`. Voir aussi "
        "[la bibliothèque de scénarios](../scenarios.md) et "
        "[animer une séance dans le bac à sable](../running-a-session.md).",
        "index_head": (
            "| scénario | niveau | minutes | score de la tentative négligente |\n|---|---|---|---|\n"
        ),
        "none": "—",
    },
}

LEVELS = {"fr": {"beginner": "débutant", "intermediate": "intermédiaire", "advanced": "avancé"}}
ROLE_WORDS = {
    "en": {"case_worker": "case worker", "supervisor": "supervisor", "service_provider": "service provider"},
    "fr": {
        "case_worker": "travailleur social chargé du dossier",
        "supervisor": "superviseur",
        "service_provider": "prestataire de services",
    },
}
YES_NO = {"en": {True: "yes", False: "no"}, "fr": {True: "oui", False: "non"}}
COLON = {"en": ":", "fr": " :"}
DURATION_UNITS = {
    "en": {"m": ("minute", "minutes"), "h": ("hour", "hours"), "d": ("day", "days")},
    "fr": {"m": ("minute", "minutes"), "h": ("heure", "heures"), "d": ("jour", "jours")},
}


def text(value: dict[str, str] | None, lang: str) -> str:
    """A translated text in `lang`, else in English (the library's common language)."""
    if not value:
        return ""
    return (value.get(lang) or value.get("en") or "").strip()


def duration(value: str, lang: str) -> str:
    match = re.fullmatch(r"(\d+)\s*([mhd])", str(value).strip())
    if not match:
        return str(value)
    number = int(match.group(1))
    return f"{number} {DURATION_UNITS[lang][match.group(2)][number != 1]}"


WHEN = {
    "en": {
        "day": "Day {n}, {time}",
        "after": "{delay} after `{action}`",
        "at_once": "right after `{action}`",
    },
    "fr": {
        "day": "Jour {n}, {time}",
        "after": "{delay} après `{action}`",
        "at_once": "juste après `{action}`",
    },
}


def inject_time(inject: Any, lang: str) -> str:
    """When an inject arrives, in words: a day and time of the exercise, or a delay after an action."""
    if inject.at:
        match = re.fullmatch(r"day (\d+) (\d\d:\d\d)", str(inject.at).strip())
        return WHEN[lang]["day"].format(n=match.group(1), time=match.group(2)) if match else f"`{inject.at}`"
    if inject.after is None:
        return ""
    if not inject.after.delay:
        return WHEN[lang]["at_once"].format(action=inject.after.action)
    return WHEN[lang]["after"].format(delay=duration(inject.after.delay, lang), action=inject.after.action)


def step_key(step: Any) -> tuple[str, str, str] | None:
    """What makes two solution steps "the same step" when the model and the careless attempt
    are compared: the action, the case, and the kind of approval, consent or service."""
    if step.do is None:
        return None
    kind = next((str(step.with_[k]) for k in ("kind", "consent_type", "service_type") if k in step.with_), "")
    return step.do, step.case or "", kind


def step_words(step: Any, roles: dict[str, Any], lang: str) -> str:
    if step.do is None:
        return TEXT[lang]["advance"].format(d=duration(step.advance, lang))
    who = ROLE_WORDS[lang].get(roles[step.as_].role, roles[step.as_].role) if step.as_ in roles else ""
    what = action_words(step.do, lang)
    details = []
    values = dict(step.with_)
    values.update(
        {k: v for k, v in (step.with_.get("data") or {}).items() if k in ("risk_level", "closure_reason")}
    )
    for key, labels in PARAMS.items():
        # Free text (a reason, a search) is written in the scenario's first language only.
        if (
            key in values
            and isinstance(values[key], (str, int, bool))
            and re.fullmatch(r"[A-Za-z0-9_]{1,40}", str(values[key]))
        ):
            value = YES_NO[lang][values[key]] if isinstance(values[key], bool) else values[key]
            details.append(f"{labels[lang]} `{value}`")
    case = f" ({step.case})" if step.case else ""
    sentence = f"**{who[:1].upper()}{who[1:]}**{case}{COLON[lang]} {what}" if who else f"{what}{case}"
    return sentence + (f" ({', '.join(details)})" if details else "") + f" — `{step.do}`."


def sloppy_comment(path: Path) -> str:
    """The comment the author wrote under `sloppy:` in the file, if any."""
    lines = path.read_text(encoding="utf-8").splitlines()
    try:
        start = lines.index("sloppy:")
    except ValueError:
        return ""
    words = []
    for line in lines[start + 1 :]:
        if not line.strip().startswith("#"):
            break
        words.append(line.strip().lstrip("#").strip())
    return " ".join(words)


def rule_actions(rule: Any) -> set[str]:
    # The action a rule needs done (`then` and `after` only say when it applies).
    return {getattr(rule, name) for name in ("action", "first") if isinstance(getattr(rule, name, None), str)}


def points(rule: Any, lang: str) -> str:
    if rule.rule == "never":
        return TEXT[lang]["penalty"].format(n=rule.penalty)
    return str(rule.points)


def scenario_page(path: Path, scenario: Any, lang: str) -> str:
    t = TEXT[lang]
    title = text(scenario.title, lang) or scenario.id
    level = LEVELS.get(lang, {}).get(scenario.difficulty, scenario.difficulty)
    debrief = max(20, scenario.duration_minutes // 3)
    out = [
        f"# {title}\n",
        t["intro"].format(path=path.relative_to(ROOT).as_posix(), version=scenario.version),
        t["summary"].format(
            difficulty=level,
            minutes=scenario.duration_minutes,
            config=scenario.config,
            languages=", ".join(scenario.languages),
            pass_mark=scenario.pass_mark,
        ),
        f"## {t['brief']}\n",
        "\n".join("> " + line if line else ">" for line in text(scenario.brief, lang).splitlines()),
        f"## {t['points']}\n",
        # Each objective, with the scored steps that serve it (`objective: N` of a rule).
        "\n".join(f"{i}. {text(o, lang)}" + "".join(
            f"\n    - {text(r.title, lang) or r.id} ({points(r, lang)})"
            for r in scenario.expected if r.objective == i)
            for i, o in enumerate(scenario.objectives, 1)),
        f"## {t['roles']}\n",
        "\n".join(
            f"- `{ref}`{COLON[lang]} {ROLE_WORDS[lang].get(spec.role, spec.role)}, "
            f"{t['played'][spec.played_by]}" + (f" ({spec.name})" if getattr(spec, "name", None) else "")
            for ref, spec in scenario.roles.items()
        ),
        f"## {t['timing']}\n",
        t["timing_rows"].format(
            minutes=scenario.duration_minutes, debrief=debrief, total=10 + scenario.duration_minutes + debrief
        ),
    ]
    if scenario.timeline:
        out.append(t["injects"] + "\n")
        for inject in scenario.timeline:
            when = inject_time(inject, lang)
            sender = text(inject.sender, lang)
            message = text(inject.message, lang)
            head = f"**{sender}**{COLON[lang]} " if sender else ""
            out.append(f"- {when} — {head}{message or inject.id}")
        out[-1] += "\n"
    else:
        out.append(t["no_injects"] + "\n")
    out += [
        f"## {t['solution']}\n",
        t["solution_intro"] + "\n",
        "\n".join(
            f"{i}. {step_words(step, scenario.roles, lang)}" for i, step in enumerate(scenario.solution, 1)
        ),
        f"## {t['mistakes']}\n",
    ]
    if scenario.sloppy is None:
        out.append(t["no_sloppy"])
    else:
        out.append(
            t["mistakes_intro"].format(score=scenario.sloppy.score, pass_mark=scenario.pass_mark) + "\n"
        )
        comment = sloppy_comment(path)
        if comment:
            out.append(f"{t['author']}\n\n> {comment}\n")
        model = [k for k in map(step_key, scenario.solution) if k]
        sloppy = [k for k in map(step_key, scenario.sloppy.solution) if k]
        left_out = list(dict.fromkeys(k for k in model if k not in sloppy))
        extra = list(dict.fromkeys(k for k in sloppy if k not in model))

        def show(keys: list[tuple[str, str, str]]) -> str:
            if not keys:
                return f"- {t['nothing']}"
            return "\n".join(
                f"- {action_words(a, lang)}"
                + (f" ({c})" if c else "")
                + (f"{COLON[lang]} `{k}`" if k else "")
                + f" — `{a}`"
                for a, c, k in keys
            )

        out += [t["left_out"] + "\n", show(left_out) + "\n", t["extra"] + "\n", show(extra) + "\n"]
        # Only actions the attempt never takes: a rule on one of them cannot be met.
        missing = {a for a, _, _ in left_out} - {a for a, _, _ in sloppy}
        lost = [r for r in scenario.expected if rule_actions(r) & missing and r.rule != "never"]
        if lost:
            out += [
                t["rules_lost"] + "\n",
                "\n".join(f"- {text(r.title, lang) or r.id} ({points(r, lang)})" for r in lost),
            ]
    out += [
        f"## {t['rules']}\n",
        t["rules_head"]
        + "\n".join(f"| {text(r.title, lang) or r.id} | {points(r, lang)} |" for r in scenario.expected),
        f"## {t['questions']}\n",
        t["questions_intro"] + "\n",
    ]
    if scenario.discussion:
        out.append(t["author_questions"] + "\n")
        out.append("\n".join(f"- {text(q, lang)}" for q in scenario.discussion) + "\n")
        out.append(t["rule_questions"] + "\n")
    for i, rule in enumerate(scenario.expected, 1):
        ask = t["ask"].format(title=text(rule.title, lang) or t["untitled"])
        listen = text(rule.feedback, lang)
        out.append(f"{i}. {ask}" + (f"  \n   *{t['listen']}*{COLON[lang]} {listen}" if listen else ""))
    return "\n\n".join(part.rstrip("\n") for part in out if part) + "\n"


def index_page(scenarios: list[tuple[Path, Any]], lang: str) -> str:
    t = TEXT[lang]
    rows = []
    for _path, s in scenarios:
        level = LEVELS.get(lang, {}).get(s.difficulty, s.difficulty)
        score = f"{s.sloppy.score}%" if s.sloppy else t["none"]
        rows.append(
            f"| [{text(s.title, lang) or s.id}]({s.id}.md) | {level} | {s.duration_minutes} | {score} |"
        )
    return f"# {t['index_title']}\n\n{t['index_intro']}\n\n{t['index_head']}" + "\n".join(rows) + "\n"


#: Each action's summary in French, as on the English action reference page.
ACTION_SUMMARY_FR: dict[str, str] = {
    "case.search": "Rechercher les dossiers existants (le contrôle des doublons avant l'enregistrement).",
    "case.identify": "Consigner un enfant identifié ou signalé, avant l'enregistrement.",
    "case.register": "Enregistrer un enfant comme un cas.",
    "case.view": "Ouvrir le dossier d'un cas.",
    "case.update": "Modifier une section du formulaire d'un cas.",
    "consent.record": "Consigner un consentement ou un assentiment d'un type donné.",
    "consent.override": "Agir sans le consentement exigé par la politique, en donnant un motif.",
    "assessment.request": "Commencer l'évaluation approfondie.",
    "assessment.complete": "Terminer l'évaluation approfondie.",
    "case_plan.save": "Enregistrer le plan de prise en charge.",
    "approval.request": "Demander à un superviseur d'approuver une évaluation, un plan ou une clôture.",
    "approval.decide": "Approuver ou rejeter une approbation en attente, avec un commentaire.",
    "approval.decide_own": "Trancher une approbation sur un cas dont on est chargé.",
    "service.add": "Ajouter un service au plan de prise en charge.",
    "service.implement": "Marquer un service comme mis en œuvre.",
    "referral.create": "Référer le cas à un utilisateur ou une agence pour un service.",
    "referral.accept": "Accepter un référencement reçu.",
    "referral.reject": "Rejeter un référencement reçu, avec un motif.",
    "referral.done": "Marquer un référencement accepté comme terminé.",
    "followup.record": "Enregistrer un suivi (visite, appel ou à distance).",
    "case.close": "Clôturer un cas avec un motif et une évaluation de clôture.",
    "case.reopen": "Rouvrir un cas clôturé.",
    "transfer.create": "Transférer le cas à un autre travailleur social ou une autre agence.",
    "transfer.accept": "Accepter un transfert reçu.",
    "transfer.reject": "Rejeter un transfert reçu.",
    "case.assign": "Réattribuer immédiatement un cas à un autre travailleur social.",
    "transfer.request": "Demander au responsable d'un cas de se le voir transférer, avec un motif.",
    "transfer_request.accept": "Accepter une demande de transfert : le cas passe au demandeur.",
    "transfer_request.decline": "Refuser une demande de transfert, avec un motif.",
    "referral.revoke": "Révoquer un référencement en attente envoyé par erreur, avec un motif.",
    "transfer.revoke": "Révoquer un transfert en attente envoyé par erreur, avec un motif.",
    "note.add": "Ajouter une note au cas.",
    "case.flag": "Poser un marqueur sur un cas pour attirer l'attention.",
    "case.unflag": "Retirer un marqueur.",
    "referral.create.refused": "Un référencement refusé par la politique (consentement manquant).",
    "transfer.create.refused": "Un transfert refusé par la politique (consentement manquant).",
    "transfer_request.accept.refused": "L'acceptation d'une demande de transfert refusée par la "
                                       "politique (consentement manquant).",
    "case.assign.refused": "Une réattribution refusée par la politique (consentement manquant).",
    "match.confirm.refused": "Une confirmation de correspondance refusée par la politique "
                             "(consentement à la recherche manquant).",
    "service.add.refused": "Un service refusé par la politique (consentement manquant).",
    "followup.record.refused": "Un suivi refusé par la politique (consentement manquant).",
    "assessment.request.refused": "Une évaluation refusée par la politique (consentement manquant).",
    "case.close.refused": "Une clôture refusée par la politique (non approuvée).",
    "case_plan.save.refused": "Un plan de prise en charge refusé par la politique (évaluation "
                              "non approuvée).",
    "case.export": "Exporter des cas (CSV, Excel) ou un dossier de cas (PDF), complets ou anonymisés.",
    "incident.view": "Lire les fiches d'incident VBG des cas que l'on voit.",
    "incident.create": "Consigner un incident de VBG depuis le cas d'une survivante ou d'un survivant "
                       "(classification GBVIMS).",
    "incident.update": "Corriger une fiche d'incident VBG.",
    "incident.export": "Exporter les données d'incidents VBG anonymisées (l'Incident Recorder) ou "
                       "leurs statistiques mensuelles : un événement par export, avec sa taille "
                       "et ses mois.",
    "tracing_request.create": "Enregistrer une demande de recherche : un demandeur qui cherche un enfant.",
    "tracing_request.update": "Modifier ce qu'une demande de recherche dit du demandeur ou de l'enfant.",
    "tracing_request.view": "Ouvrir une demande de recherche.",
    "trace.record": "Enregistrer une démarche faite pour retrouver l'enfant d'une demande de recherche.",
    "match.search": "Chercher l'enfant d'une demande de recherche parmi les cas.",
    "match.confirm": "Confirmer qu'un cas est l'enfant d'une demande de recherche, avec une raison.",
    "match.reject": "Rejeter une correspondance proposée entre une demande de recherche et un cas, "
                    "avec une raison.",
    "match.verify": "Enregistrer comment une correspondance confirmée a été vérifiée.",
    "reunification.record": "Enregistrer la réunification (ou la prise en charge temporaire ou "
                            "alternative) après une correspondance vérifiée.",
}

ACTIONS_FR_HEADER = """# Noms des actions

Chaque action du système de gestion des cas a un nom. Les noms figurent dans le journal
des événements, dans les `permissions` des rôles des paquets de configuration et dans les
fichiers de scénario. Ils forment un contrat : on en ajoute, on n'en renomme ni n'en
supprime jamais. La liste est dans `sandbox/common/actions.py` ; cette page en est générée
par `python -m scripts.gen_facilitator_notes`, et un test la garde en accord.

Les noms marqués *permission seulement* donnent une permission et n'apparaissent jamais
comme événements. Les noms en `.refused` ne sont que des événements : une tentative que la
politique des POS a refusée (un référencement ou un transfert sans le consentement exigé,
une clôture non approuvée, un plan de prise en charge sur une évaluation non approuvée). La
tentative ne change rien au cas ; son événement enregistre le `code` du refus, le
`consent_missing` quand le consentement manquait, et ce qui était tenté. Une règle peut la
noter : `{rule: never, action: referral.create.refused, penalty: 5}`. Les clés que chaque
événement enregistre sont dans la [page anglaise](actions.md).

| action | ce qu'elle fait |
|---|---|
"""

LIBRARY_FR_HEADER = """# La bibliothèque de scénarios

Chaque scénario est un fichier de `scenarios/`. Créez-en un dans un espace de pratique avec
`manage.py seed_scenario ID --space SLUG`, ou assignez-le aux participant·es d'un atelier
(voir [Animer un atelier](workshops.md)). Les scénarios nomment des concepts des POS : chacun
fonctionne donc sur tout paquet de configuration qui fait correspondre ces concepts
(`mapping.yaml`) ; la colonne paquet indique celui sur lequel il est créé par défaut. Pour
animer un scénario, voir ses [notes du facilitateur](notes/index.md). Cette page est générée
à partir des fichiers par `python -m scripts.gen_facilitator_notes` ; un test la garde en
accord.

| scénario | niveau | minutes | paquet | langues | cas principaux / d'arrière-plan | règles |
|---|---|---|---|---|---|---|
"""


def actions_page_fr() -> str:
    from sandbox.common.actions import ACTIONS

    rows = [
        f"| `{a.name}` | {ACTION_SUMMARY_FR.get(a.name, a.summary)}"
        f"{' *(permission seulement)*' if a.permission_only else ''}"
        f"{' *(événement seulement)*' if a.event_only else ''} |"
        for a in ACTIONS
    ]
    return ACTIONS_FR_HEADER + "\n".join(rows) + "\n"


def library_page_fr(scenarios: list[tuple[Path, Any]]) -> str:
    rows, details = [], []
    for path, s in scenarios:
        title = text(s.title, "fr") or s.id
        background = s.world.background.count if s.world.background else 0
        level = LEVELS["fr"].get(s.difficulty, s.difficulty)
        rows.append(
            f"| [{title}](#{s.id}) | {level} | {s.duration_minutes} | `{s.config}` "
            f"| {', '.join(s.languages)} | {len(s.world.cases)} / {background} | {len(s.expected)} |"
        )
        objectives = "\n".join(f"- {text(o, 'fr')}" for o in s.objectives)
        first = text(s.brief, "fr").split("\n\n")[0].replace("\n", " ")
        details.append(
            f"## {title} {{#{s.id}}}\n\n`{s.id}` · version {s.version} · "
            f"`{path.relative_to(ROOT).as_posix()}` · [notes du facilitateur](notes/{s.id}.md)"
            f"\n\n{first}\n\n**Objectifs d'apprentissage**\n\n{objectives}\n"
        )
    return LIBRARY_FR_HEADER + "\n".join(rows) + "\n\n" + "\n".join(details)


def suffix(lang: str) -> str:
    return ".md" if lang == "en" else f".{lang}.md"


def pages() -> dict[Path, str]:
    """Every generated page, by its path under the repository."""
    from sandbox.simulation.scenario.load import library, read_scenario

    scenarios = []
    for path in library():
        scenario = read_scenario(path).scenario
        if scenario is not None:
            scenarios.append((path, scenario))
    out: dict[Path, str] = {}
    for lang in LANGUAGES:
        out[NOTES / f"index{suffix(lang)}"] = index_page(scenarios, lang)
        for path, scenario in scenarios:
            out[NOTES / f"{scenario.id}{suffix(lang)}"] = scenario_page(path, scenario, lang)
    out[Path("docs") / "trainers" / "scenarios.fr.md"] = library_page_fr(scenarios)
    out[Path("docs") / "reference" / "actions.fr.md"] = actions_page_fr()
    return out


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sandbox.settings.test")
    import django

    django.setup()
    folder = ROOT / NOTES
    folder.mkdir(parents=True, exist_ok=True)
    generated = pages()
    for stale in folder.glob("*.md"):  # a scenario that left the library
        if stale.relative_to(ROOT) not in generated:
            stale.unlink()
    for path, page in generated.items():
        (ROOT / path).write_text(page, encoding="utf-8")


if __name__ == "__main__":
    main()
