"""The French text of docs/authoring/vocabulary.fr.md, which `scripts.gen_scenario_docs`
writes next to the English page: the page's introduction, the section titles and each
concept's meaning. A concept added to `sandbox/configuration/vocabulary/concepts.py`
needs its meaning here too (a test says which are missing); until then the French page
shows the English meaning.
"""

from __future__ import annotations

from scripts.gen_scenario_docs import MAPPING_KEYS

VOCABULARY_HEADER_FR = """# Le vocabulaire des concepts

Les scénarios portables nomment des **concepts des POS**, pas les identifiants d'un paquet
de configuration particulier : un travailleur social chargé du dossier est `case_worker`,
que le paquet appelle ce rôle `caseworker` ou `children_officer`. Chaque paquet indique
dans son `mapping.yaml` lequel de ses identifiants correspond à chaque concept (voir
[Rédiger des scénarios](scenarios.md#portable-scenarios)). Cette page est générée à partir
de `sandbox/configuration/vocabulary/concepts.py` par
`python -m scripts.gen_scenario_docs`.

Comment un concept devient un identifiant, sur un paquet donné :

1. ce que dit `mapping.yaml` (`KIND: {CONCEPT: ID}`) ;
2. sinon l'identifiant du paquet qui porte le même nom, s'il y en a un ;
3. sinon rien : l'étape ou la valeur du scénario est laissée de côté sur ce paquet, et le
   rapport d'examen avant mise en service (`manage.py check_scenarios --config DIR`) dit
   quoi faire correspondre.

Les champs de base (`name_first`, `name_last`, `sex`, `date_of_birth`, `age`, `location`,
`risk_level`) se résolvent par les `core_fields` du module, et les champs `consent_KIND`
par les champs de consentement de la politique : ils ne demandent aucune correspondance.
Les valeurs des options d'un champ se résolvent par
`options: {FIELD_CONCEPT: {OPTION_CONCEPT: OPTION_ID}}`, sinon par l'option du même nom,
sinon (pour les champs dont la liste est une liste système) par le type de cette liste
(un champ qui liste des types de services prend des concepts de services).

## mapping.yaml

""" + MAPPING_KEYS + """
Chaque clé est facultative. `validate_config` et le rapport d'examen avant mise en service
vérifient le fichier : chaque problème sous la forme `CHEMIN:LIGNE: message` (les types et
concepts inconnus avec le nom le plus proche, les identifiants que le paquet n'a pas avec
ceux qu'il a).

Les types d'approbation (`assessment`, `case_plan`, `closure`, `action_plan`,
`gbv_closure`) sont propres au système de gestion des cas et ne font l'objet d'aucune
correspondance ; une étape qui demande une approbation que la politique du paquet n'a pas
y est laissée de côté, et une approbation qu'exige la politique mais que les POS du
scénario n'ont pas est demandée avant l'étape qui en a besoin.
"""

#: The French title of each section, by kind of concept (a kind not listed keeps its name).
KIND_TITLES_FR = {
    "roles": "Rôles (`roles`)", "agencies": "Organisations (`agencies`)",
    "user_groups": "Groupes d'utilisateurs (`user_groups`)",
    "consent": "Types de consentement (`consent`)", "services": "Types de services (`services`)",
    "referral_reasons": "Motifs de référencement (`referral_reasons`)",
    "followup_types": "Types de suivi (`followup_types`)",
    "closure_reasons": "Motifs de clôture (`closure_reasons`)", "urgency": "Urgence (`urgency`)",
    "risk": "Niveaux de risque (`risk`)", "locations": "Lieux (`locations`)",
    "providers": "Types de prestataires (`providers`, module VBG)",
    "fields": "Champs (`fields`, ouvert : tout concept de champ qu'écrit un scénario)",
}

#: Table headings and the title of the options section.
WORDS_FR = {
    "concept_head": "| concept | signification |\n|---|---|\n",
    "options_title": "Options des champs de base (`options`)",
    "options_head": "| champ | option | signification |\n|---|---|---|\n",
}

_RISK_FR = {
    "high": "Risque élevé (les délais les plus courts).",
    "medium": "Risque moyen.",
    "low": "Risque faible.",
}

#: Kind of concept -> {concept: its meaning in French}.
MEANINGS_FR: dict[str, dict[str, str]] = {
    "modules": {
        "cp": "Le module de gestion des cas de protection de l'enfance (CPIMS+) : les cas "
              "d'enfants à risque, de l'enregistrement à la clôture.",
        "gbv": "Le module de gestion des cas de violences basées sur le genre (GBVIMS+) : les "
               "cas et les incidents des survivantes et survivants.",
    },
    "roles": {
        "case_worker": "Le ou la professionnel·le qui tient le cas : enregistre, évalue, planifie, "
                       "réfère, assure le suivi et clôture (un travailleur social chargé du "
                       "dossier, un agent de protection de l'enfance).",
        "supervisor": "Le superviseur du travailleur social chargé du dossier : décide des "
                      "approbations (évaluation, plan de prise en charge, clôture) pour les cas "
                      "de son équipe et peut passer outre le consentement.",
        "service_provider": "Le personnel d'une organisation qui reçoit des référencements : "
                            "les accepte ou les refuse et déclare le service fourni.",
        "manager": "Un responsable de la protection de l'enfance : voit les cas de "
                   "l'organisation, décide des approbations et réattribue les cas, sans les "
                   "traiter.",
        "administrator": "Un administrateur du système qui peut tout faire (jamais le rôle "
                         "d'un·e participant·e dans un exercice).",
        "health_provider": "Le personnel d'un prestataire de santé qui reçoit des orientations "
                           "VBG (soins cliniques des survivantes et survivants).",
        "psychosocial_provider": "Le personnel d'un prestataire de soutien psychosocial qui "
                                 "reçoit des orientations VBG.",
        "legal_provider": "Le personnel d'un prestataire d'aide juridique qui reçoit des "
                          "orientations VBG.",
        "safety_provider": "Le personnel d'un prestataire de sécurité et d'hébergement sécurisé "
                           "qui reçoit des orientations VBG.",
    },
    "providers": {
        "health": "Santé : soins cliniques des survivantes et survivants (le délai de 72 heures, "
                  "l'examen médical).",
        "psychosocial": "Soutien psychosocial et conseil.",
        "legal": "Aide juridique.",
        "safety": "Sécurité et hébergement sécurisé.",
    },
    "agencies": {
        "lead": "L'organisation pour laquelle travaille le ou la participant·e : l'organisation "
                "statutaire ou chef de file de la gestion des cas.",
        "tracing": "L'organisation qui recherche les familles des enfants séparés.",
        "psychosocial": "Une organisation qui offre un soutien psychosocial et des activités de "
                        "réintégration.",
        "education": "Une organisation qui soutient l'inscription à l'école et l'éducation.",
        "health": "Un prestataire de santé (centre de santé, équipe de santé mobile).",
        "gbv_centre": "Un centre qui offre des services de santé et de réponse aux violences "
                      "basées sur le genre.",
        "legal_aid": "Un prestataire d'aide juridique (avocats, parajuristes).",
        "rescue_centre": "Un lieu sûr qui accueille les enfants en danger immédiat.",
        "court_liaison": "Le bureau qui porte les cas de protection devant un tribunal.",
        "counselling": "Une organisation qui offre du conseil psychologique (une ligne "
                       "d'écoute, une ONG de conseil).",
        "childrens_home": "Un foyer résidentiel pour enfants.",
        "family_support": "Une organisation communautaire qui soutient les familles (soutien "
                          "économique, parentalité).",
    },
    "user_groups": {
        "lead_office": "Le bureau ou l'équipe du ou de la participant·e dans l'organisation chef "
                       "de file (l'équipe du superviseur).",
        "tracing_team": "L'équipe de l'organisation de recherche familiale qui reçoit les "
                        "référencements pour recherche.",
        "psychosocial_team": "L'équipe de l'organisation de soutien psychosocial.",
        "education_team": "L'équipe de l'organisation d'éducation.",
        "health_team": "L'équipe du prestataire de santé.",
        "gbv_team": "Le personnel du centre de réponse aux violences basées sur le genre.",
        "legal_team": "Les avocats et parajuristes du prestataire d'aide juridique.",
        "rescue_team": "Le personnel du lieu sûr.",
        "court_team": "Les agents du bureau de liaison avec le tribunal.",
        "counselling_team": "Les conseillers et conseillères de l'organisation de conseil.",
        "childrens_home_team": "Les travailleurs sociaux du foyer pour enfants.",
        "family_support_team": "Le personnel de l'organisation de soutien aux familles.",
    },
    "consent": {
        "services": "Consentement à recevoir la gestion des cas et des services.",
        "share_information": "Consentement au partage des informations de l'enfant avec "
                             "d'autres organisations (référencements, transferts).",
        "tracing": "Consentement à la recherche de la famille de l'enfant.",
        "reporting": "Consentement à signaler à la police ou aux autorités.",
        "statistics": "Consentement au partage de données anonymisées sur l'incident à des fins "
                      "statistiques (module VBG).",
    },
    "services": {
        "family_tracing": "La recherche de la famille d'un enfant séparé (en vue de la "
                          "réunification familiale).",
        "psychosocial": "Soutien psychosocial.",
        "counselling": "Conseil psychologique individuel par un professionnel.",
        "mental_health": "Soins de santé mentale spécialisés.",
        "health": "Soins de santé ou soins médicaux.",
        "education": "Inscription à l'école ou soutien à l'éducation.",
        "legal": "Aide juridique.",
        "court_orders": "Ordonnances de protection ou autres décisions d'un tribunal.",
        "safe_shelter": "Un lieu sûr où loger.",
        "rescue_and_placement": "Mise à l'abri du danger et placement dans un lieu sûr.",
        "alternative_care": "Famille d'accueil, prise en charge par la parenté ou autre prise "
                            "en charge alternative.",
        "reintegration": "Réintégration dans la famille et la communauté.",
        "livelihoods": "Appui aux moyens de subsistance ou formation professionnelle.",
        "cash_assistance": "Assistance en espèces ou matérielle.",
        "family_support": "Soutien à la famille (parentalité, soutien économique).",
        "gbv_response": "Services de réponse aux violences basées sur le genre.",
        "government_services": "Un référencement vers un autre service public (cantine "
                               "scolaire, protection sociale).",
    },
    "referral_reasons": {
        "case_plan_service": "Un service que prévoit le plan de prise en charge.",
        "immediate_safety": "La sécurité immédiate de l'enfant.",
        "medical_emergency": "Une urgence médicale.",
        "legal_proceedings": "Une procédure judiciaire ou devant un tribunal.",
        "psychosocial_support": "Un besoin de soutien psychosocial.",
        "economic_support": "Un besoin de soutien économique de la famille.",
        "family_tracing_request": "Une demande de recherche de la famille.",
        "child_or_family_request": "L'enfant ou la famille l'a demandé.",
        "specialised_care": "Une prise en charge que l'organisation qui réfère ne peut pas "
                            "assurer.",
        "other": "Tout autre motif.",
    },
    "followup_types": {
        "home_visit": "Une visite au domicile de l'enfant.",
        "phone_call": "Un appel téléphonique.",
        "remote_video": "Un appel vidéo ou un autre contact à distance.",
        "office_visit": "L'enfant ou la famille est venu au bureau.",
        "school_visit": "Une visite à l'école de l'enfant.",
        "institution_visit": "Une visite à l'institution où l'enfant est placé.",
    },
    "closure_reasons": {
        "goals_met": "Les objectifs du plan de prise en charge sont atteints.",
        "reunified": "L'enfant a été réunifié avec sa famille.",
        "turned_18": "L'enfant a atteint 18 ans.",
        "transferred": "Le cas a été transféré à une autre organisation.",
        "lost_contact": "Le contact avec l'enfant a été perdu.",
        "death": "L'enfant est décédé.",
        "other": "Tout autre motif.",
    },
    "urgency": {
        "immediate": "Aujourd'hui.",
        "high": "Sous trois jours environ.",
        "normal": "Sous une semaine environ.",
    },
    "risk": _RISK_FR,
    "locations": {
        "city_centre": "Un quartier central d'une ville.",
        "city_suburb": "Une banlieue ou un quartier résidentiel d'une ville.",
        "peri_urban_village": "Un village en périphérie d'une ville.",
        "informal_settlement": "Un quartier informel d'une ville.",
        "small_town": "Le centre d'une ville de province.",
        "town_neighbourhood": "Un quartier d'une ville de province.",
        "rural_village": "Un village rural.",
        "remote_village": "Un village isolé, loin de tout bureau.",
        "home_village": "La région rurale d'origine d'un enfant.",
        "city_suburb_district": "Le district (au-dessus du niveau du quartier administratif) "
                                "qui contient `city_suburb`.",
        "informal_settlement_district": "Le district (au-dessus du niveau du quartier "
                                        "administratif) qui contient `informal_settlement`.",
    },
    "fields": {
        "name_first": "Le prénom de l'enfant (champ de base).",
        "name_last": "Le nom de famille de l'enfant (champ de base).",
        "sex": "Le sexe de l'enfant (champ de base ; options female, male).",
        "date_of_birth": "La date de naissance de l'enfant (champ de base).",
        "age": "L'âge de l'enfant (champ de base).",
        "location": "Le lieu où vit l'enfant aujourd'hui (champ de base, un lieu).",
        "risk_level": "Le niveau de risque (champ de base ; options high, medium, low).",
        "consent_services": "Le champ de consentement du consentement `services` (tiré de la "
                            "politique).",
        "consent_share_information": "Le champ de consentement du consentement "
                                     "`share_information`.",
        "consent_tracing": "Le champ de consentement du consentement `tracing`.",
        "consent_reporting": "Le champ de consentement du consentement `reporting`.",
        "consent_statistics": "Le champ de consentement du consentement `statistics` (module "
                              "VBG).",
        "consent_providers": "Les prestataires vers lesquels la survivante ou le survivant "
                             "accepte d'être orienté·e (module VBG ; options : concepts de "
                             "prestataires).",
        "consent_identified_providers": "Les prestataires autorisés à recevoir des informations "
                                        "identifiantes (module VBG ; options : concepts de "
                                        "prestataires).",
        "consent_refused": "Ce que la survivante ou le survivant a refusé, avec ses mots (module "
                           "VBG).",
        "protection_concerns": "Les préoccupations de protection consignées à "
                               "l'identification.",
        "case_category": "La catégorie du cas (la principale préoccupation de protection).",
        "assessed_needs": "Les besoins relevés par l'évaluation.",
        "case_plan_items": "Les lignes du plan de prise en charge (besoin, objectif, action, "
                           "qui, pour quand).",
        "closure_reason": "Pourquoi le cas est clôturé.",
        "closure_safety_confirmed": "La sécurité de l'enfant a été vérifiée avant la clôture.",
        "reporting_office": "Le bureau (un lieu) qui a reçu le signalement.",
    },
}

#: Field concept -> {option concept: its meaning in French}.
OPTION_MEANINGS_FR: dict[str, dict[str, str]] = {
    "sex": {"female": "Féminin.", "male": "Masculin."},
    "risk_level": _RISK_FR,
}
