"""The SOP concepts portable scenarios name, each with what it means.

A scenario written for one bundle would name that bundle's ids (`caseworker`,
`dsw`, `psychosocial_support`); another bundle calls the same things differently
(`children_officer`, `dcs`, `professional_counselling`). Scenarios name these
concepts instead, and each bundle says in `mapping.yaml` which of its ids stands
for each concept. The meanings below are what an implementer reads to decide the
mapping; `docs/authoring/vocabulary.md` is written from them.
"""

from __future__ import annotations

#: Kind of concept -> {concept: meaning}. The kinds are also the keys of mapping.yaml.
VOCABULARY: dict[str, dict[str, str]] = {
    "modules": {
        "cp": "The child protection case management module (CPIMS+): the cases of children "
              "at risk, from registration to closure.",
        "gbv": "The gender-based violence case management module (GBVIMS+): survivors' cases "
               "and incidents.",
    },
    "roles": {
        "case_worker": "The practitioner who holds the case: registers, assesses, plans, refers, "
                       "follows up and closes (a case worker, a children officer).",
        "supervisor": "The case worker's supervisor: decides approvals (assessment, case plan, "
                      "closure) for the cases of their team and may override consent.",
        "service_provider": "Staff of an agency that receives referrals: accepts or declines them "
                            "and reports the service as delivered.",
        "manager": "A child protection manager: sees the agency's cases, decides approvals and "
                   "reassigns cases, without working them.",
        "administrator": "A system administrator who may do everything (never the trainee's role "
                         "in an exercise).",
        "health_provider": "Staff of a health provider receiving GBV referrals (clinical care "
                           "of survivors).",
        "psychosocial_provider": "Staff of a psychosocial support provider receiving GBV "
                                 "referrals.",
        "legal_provider": "Staff of a legal aid provider receiving GBV referrals.",
        "safety_provider": "Staff of a safety and safe shelter provider receiving GBV referrals.",
    },
    # The kinds of service provider a GBV referral goes to: consent is given per provider.
    "providers": {
        "health": "Health: clinical care of survivors (the 72-hour window, medical examination).",
        "psychosocial": "Psychosocial support and counselling.",
        "legal": "Legal aid.",
        "safety": "Safety and safe shelter.",
    },
    "agencies": {
        "lead": "The agency the trainee works for: the statutory or lead case management agency.",
        "tracing": "The agency that traces families of separated children.",
        "psychosocial": "An organisation providing psychosocial support and reintegration "
                        "activities.",
        "education": "An organisation supporting school enrolment and education.",
        "health": "A health provider (clinic, mobile health team).",
        "gbv_centre": "A centre providing health and gender-based violence response services.",
        "legal_aid": "A legal aid provider (lawyers, paralegals).",
        "rescue_centre": "A place of safety receiving children at immediate risk.",
        "court_liaison": "The office that brings protection cases before a court.",
        "counselling": "An organisation providing counselling (a helpline, a counselling NGO).",
        "childrens_home": "A residential children's home.",
        "family_support": "A community organisation supporting families (economic support, "
                          "parenting).",
    },
    "user_groups": {
        "lead_office": "The trainee's office or team in the lead agency (the supervisor's team).",
        "tracing_team": "The team of the tracing agency that receives tracing referrals.",
        "psychosocial_team": "The team of the psychosocial support organisation.",
        "education_team": "The team of the education organisation.",
        "health_team": "The team of the health provider.",
        "gbv_team": "The staff of the GBV response centre.",
        "legal_team": "The lawyers and paralegals of the legal aid provider.",
        "rescue_team": "The staff of the place of safety.",
        "court_team": "The officers of the court liaison office.",
        "counselling_team": "The counsellors of the counselling organisation.",
        "childrens_home_team": "The social workers of the children's home.",
        "family_support_team": "The workers of the family support organisation.",
    },
    "consent": {
        "services": "Consent to receive case management and services.",
        "share_information": "Consent to share the child's information with other organisations "
                             "(referrals, transfers).",
        "tracing": "Consent to trace the child's family.",
        "reporting": "Consent to report to the police or the authorities.",
        "statistics": "Consent to share de-identified data about the incident for statistics "
                      "(GBV module).",
    },
    "services": {
        "family_tracing": "Tracing the family of a separated child (towards reunification).",
        "psychosocial": "Psychosocial support.",
        "counselling": "Individual counselling by a professional.",
        "mental_health": "Specialised mental health care.",
        "health": "Health or medical care.",
        "education": "School enrolment or education support.",
        "legal": "Legal aid.",
        "court_orders": "Protection orders or other decisions of a court.",
        "safe_shelter": "A safe place to stay.",
        "rescue_and_placement": "Removal from danger and placement in a place of safety.",
        "alternative_care": "Foster, kinship or other alternative care.",
        "reintegration": "Reintegration with family and community.",
        "livelihoods": "Livelihood or vocational support.",
        "cash_assistance": "Cash or material assistance.",
        "family_support": "Support to the family (parenting, economic support).",
        "gbv_response": "Gender-based violence response services.",
        "government_services": "A referral to another government service (school feeding, "
                               "social protection).",
    },
    "referral_reasons": {
        "case_plan_service": "A service the case plan provides for.",
        "immediate_safety": "The child's immediate safety.",
        "medical_emergency": "A medical emergency.",
        "legal_proceedings": "Legal or court proceedings.",
        "psychosocial_support": "A need for psychosocial support.",
        "economic_support": "A need for economic support of the family.",
        "family_tracing_request": "A request to trace the family.",
        "child_or_family_request": "The child or the family asked for it.",
        "specialised_care": "Care the referring agency cannot give.",
        "other": "Any other reason.",
    },
    "followup_types": {
        "home_visit": "A visit to the child's home.",
        "phone_call": "A phone call.",
        "remote_video": "A video call or other remote contact.",
        "office_visit": "The child or family came to the office.",
        "school_visit": "A visit to the child's school.",
        "institution_visit": "A visit to the institution where the child is placed.",
    },
    "closure_reasons": {
        "goals_met": "The goals of the case plan are met.",
        "reunified": "The child was reunified with the family.",
        "turned_18": "The child turned 18.",
        "transferred": "The case was transferred to another agency.",
        "lost_contact": "Contact with the child was lost.",
        "death": "The child died.",
        "other": "Any other reason.",
    },
    "urgency": {
        "immediate": "Today.",
        "high": "Within about three days.",
        "normal": "Within about a week.",
    },
    "risk": {
        "high": "High risk (the shortest deadlines).",
        "medium": "Medium risk.",
        "low": "Low risk.",
    },
    "locations": {
        "city_centre": "A central neighbourhood of a city.",
        "city_suburb": "A suburb or residential neighbourhood of a city.",
        "peri_urban_village": "A village on the outskirts of a city.",
        "informal_settlement": "An informal settlement of a town or city.",
        "small_town": "The centre of a provincial town.",
        "town_neighbourhood": "A neighbourhood of a provincial town.",
        "rural_village": "A rural village.",
        "remote_village": "A remote village, far from any office.",
        "home_village": "The rural home area a child comes from.",
        "city_suburb_district": "The district (above ward level) holding `city_suburb`.",
        "informal_settlement_district": "The district (above ward level) holding "
                                        "`informal_settlement`.",
    },
    # Fields are open: a scenario may name any field concept; these are the ones the
    # case system and the library rely on. A concept not listed here resolves through
    # `fields:` in mapping.yaml or to the field of the same id.
    "fields": {
        "name_first": "The child's first name (core field).",
        "name_last": "The child's last name (core field).",
        "sex": "The child's sex (core field; options female, male).",
        "date_of_birth": "The child's date of birth (core field).",
        "age": "The child's age (core field).",
        "location": "Where the child lives now (core field, a location).",
        "risk_level": "The risk level (core field; options high, medium, low).",
        "consent_services": "The consent field of the consent `services` (from the policy).",
        "consent_share_information": "The consent field of the consent `share_information`.",
        "consent_tracing": "The consent field of the consent `tracing`.",
        "consent_reporting": "The consent field of the consent `reporting`.",
        "consent_statistics": "The consent field of the consent `statistics` (GBV module).",
        "consent_providers": "The providers the survivor agrees to be referred to (GBV module; "
                             "options: provider concepts).",
        "consent_identified_providers": "The providers who may receive identified information "
                                        "(GBV module; options: provider concepts).",
        "consent_refused": "What the survivor refused, in her or his words (GBV module).",
        "protection_concerns": "The protection concerns recorded at identification.",
        "case_category": "The category of the case (the main protection concern).",
        "assessed_needs": "The needs found by the assessment.",
        "case_plan_items": "The rows of the case plan (need, goal, action, who, by when).",
        "closure_reason": "Why the case is closed.",
        "closure_safety_confirmed": "The child's safety was checked before closing.",
        "reporting_office": "The office (a location) that received the report.",
    },
}

#: Options of fields, by field concept -> {option concept: meaning}.
FIELD_OPTIONS: dict[str, dict[str, str]] = {
    "sex": {"female": "Female.", "male": "Male."},
    "risk_level": {key: text for key, text in VOCABULARY["risk"].items()},
}

#: Approval kinds are the case system's own (not configurable ids).
APPROVAL_KINDS = ("assessment", "case_plan", "closure", "action_plan", "gbv_closure")

#: The core fields of a module, resolved through its `core_fields` (no mapping needed).
CORE_FIELDS = ("name_first", "name_last", "sex", "date_of_birth", "age", "location", "risk_level")

#: Kinds whose values are options of a module's system lookup (kind -> system lookup name).
SYSTEM_LOOKUP_OF = {
    "consent": "consent_type",
    "services": "service_type",
    "referral_reasons": "referral_reason",
    "followup_types": "followup_type",
    "closure_reasons": "closure_reason",
    "urgency": "urgency",
}

#: What an implementer calls each kind, in messages.
KIND_WORDS = {
    "modules": "module",
    "roles": "role",
    "agencies": "agency",
    "user_groups": "user group",
    "consent": "consent type",
    "services": "service kind",
    "referral_reasons": "referral reason",
    "followup_types": "follow-up type",
    "closure_reasons": "closure reason",
    "urgency": "urgency",
    "providers": "provider type",
    "risk": "risk level",
    "locations": "location",
    "fields": "field",
    "options": "option",
}
