"""Words that hint at each concept of the scenario vocabulary, in ids and labels.

The concept names are those of `sandbox.configuration.vocabulary` (the keys of
mapping.yaml). The patterns are matched, lower-cased, against option ids and
their labels in every language, role and agency names, location names: they
propose, the implementer confirms.
"""

from __future__ import annotations

#: Option concepts per mapping kind: kind -> (system lookup, {concept: pattern}).
OPTION_KINDS: dict[str, tuple[str, dict[str, str]]] = {
    "services": ("service_type", {
        "family_tracing": r"trac|reunif|ftr",
        "psychosocial": r"psycho|pss",
        "counselling": r"counsel",
        "mental_health": r"mental",
        "health": r"health|medical|clinic",
        "education": r"educat|school",
        "legal": r"legal|justice|lawyer",
        "court_orders": r"court|judicial",
        "safe_shelter": r"shelter|safe[ _-]?house|safe[ _-]?space",
        "rescue_and_placement": r"rescue|placement|place of safety",
        "alternative_care": r"alternative|foster|interim[ _-]?care|kinship",
        "reintegration": r"reintegr",
        "livelihoods": r"livelihood|vocational|income",
        "cash_assistance": r"cash|material",
        "family_support": r"family[ _-]?support|parenting|family[ _-]?strength",
        "gbv_response": r"gbv|gender",
        "government_services": r"government|social[ _-]?protection|public",
    }),
    "referral_reasons": ("referral_reason", {
        "case_plan_service": r"case[ _-]?plan",
        "immediate_safety": r"immediate|safety",
        "medical_emergency": r"medical|emergency",
        "legal_proceedings": r"legal|court",
        "psychosocial_support": r"psycho",
        "economic_support": r"economic|livelihood|cash",
        "family_tracing_request": r"trac",
        "child_or_family_request": r"asked|child or|own request",
        "specialised_care": r"speciali",
        "other": r"^other$|other reason",
    }),
    "followup_types": ("followup_type", {
        "home_visit": r"home",
        "phone_call": r"phone|call",
        "remote_video": r"remote|video",
        "office_visit": r"office",
        "school_visit": r"school",
        "institution_visit": r"institution|facility",
    }),
    "closure_reasons": ("closure_reason", {
        "goals_met": r"goal|objectiv",
        "reunified": r"reunif",
        "turned_18": r"18|adult",
        "transferred": r"transfer",
        "lost_contact": r"lost|contact|whereabouts",
        "death": r"death|died|deceased",
        "other": r"^other$|other reason",
    }),
    "urgency": ("urgency", {
        "immediate": r"24|immediate|today|same[ _-]?day",
        "high": r"3[ _-]?days?|72|high",
        "normal": r"week|normal|7[ _-]?days|routine",
    }),
}
RISK = {"high": r"^high$|^alto$|high|sever", "medium": r"^medium$|medi|moderate", "low": r"^low$|low|bajo"}
SEX = {"female": r"^f$|female|girl|woman|femenin|féminin|mujer",
       "male": r"^m$|^male$|boy|^man$|masculin|hombre"}
#: Concept -> patterns of role ids and names, strongest first.
ROLE_NAMES = {
    "administrator": (r"administrator|superuser", r"admin|system"),
    "service_provider": (r"service[ _-]?provider", r"provider|referral"),
    "supervisor": (r"supervis",),
    "manager": (r"(?<!user )(?<!user-)manager", r"head|coordinator"),
    "case_worker": (r"case[ _-]?worker|caseworker|social[ _-]?worker",),
}
#: Agency concepts -> (the service concepts such an agency provides, in order; name pattern).
AGENCY_CONCEPTS: dict[str, tuple[tuple[str, ...], str]] = {
    "tracing": (("family_tracing",), r"trac|red cross|cruz roja|croix"),
    "psychosocial": (("psychosocial", "reintegration"), r"psycho"),
    "counselling": (("counselling", "psychosocial"), r"counsel|helpline"),
    "family_support": (("family_support", "livelihoods", "cash_assistance"), r"family"),
    "education": (("education",), r"educat|school"),
    "health": (("health",), r"health|clinic|hospital"),
    "gbv_centre": (("gbv_response",), r"gbv|women|mujer|femme"),
    "legal_aid": (("legal",), r"legal|law"),
    "court_liaison": (("court_orders", "legal"), r"court|judic"),
    "rescue_centre": (("rescue_and_placement", "safe_shelter"), r"rescue|shelter|refuge"),
    "childrens_home": (("alternative_care", "safe_shelter"), r"home|hogar|foyer"),
}
LEAD_AGENCY = r"department|ministry|government|directorate|dirección|ministerio|social welfare|children"
#: User group concept -> the agency concept whose team it is.
GROUP_CONCEPTS = {
    "lead_office": "lead", "tracing_team": "tracing", "psychosocial_team": "psychosocial",
    "education_team": "education", "health_team": "health", "gbv_team": "gbv_centre",
    "legal_team": "legal_aid", "rescue_team": "rescue_centre", "court_team": "court_liaison",
    "counselling_team": "counselling", "childrens_home_team": "childrens_home",
    "family_support_team": "family_support",
}
#: Location concepts (places where children live: the lowest level) -> name pattern.
LOCATION_CONCEPTS = {
    "city_centre": r"city centre|city center|centro|downtown",
    "city_suburb": r"suburb|barrio|residential",
    "informal_settlement": r"informal|settlement|asentamiento|slum",
    "peri_urban_village": r"peri[ _-]?urban|outskirts|afueras",
    "town_neighbourhood": r"neighbourhood|neighborhood|vecindario|quarter",
    "small_town": r"town|pueblo",
    "remote_village": r"remote|remota|mountain|montaña",
    "rural_village": r"village|vereda|aldea|rural",
    "home_village": r"village|vereda|aldea|rural",
}
#: Location concepts that name the district holding another concept's place.
DISTRICT_OF = {"city_suburb_district": "city_suburb", "informal_settlement_district": "informal_settlement"}
#: Field concepts beyond the core fields -> Primero field names that record them.
FIELD_CONCEPTS = {
    "protection_concerns": ("protection_concerns",),
    "case_category": ("case_category",),
    "assessed_needs": ("assessed_needs", "needs", "assessment_needs"),
    "closure_reason": ("closure_reason",),
    "closure_date": ("closure_date", "date_closure"),
    "caregivers": ("caregivers", "family_details_section"),
    "closure_safety_confirmed": ("closure_safety_confirmed",),
}
#: Subform concepts -> their column concepts -> Primero column names.
SUBFORM_COLUMNS = {
    "caregivers": {
        "caregiver_name": ("caregiver_name", "relation_name"),
        "caregiver_relationship": ("caregiver_relationship", "relation"),
        "caregiver_lives_with_child": ("caregiver_lives_with_child", "relation_is_caregiver"),
        "caregiver_alive": ("caregiver_alive", "relation_is_alive"),
        "caregiver_phone": ("caregiver_phone", "relation_telephone"),
    },
    "case_plan_items": {
        "plan_need": ("plan_need", "intervention_need", "intervention_service_to_be_provided"),
        "plan_goal": ("plan_goal", "intervention_goal", "intervention_service_goal"),
        "plan_action": ("plan_action", "intervention_action"),
        "plan_responsible": ("plan_responsible", "intervention_responsible"),
        "plan_target_date": ("plan_target_date", "case_plan_timeframe"),
    },
}
