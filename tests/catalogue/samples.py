"""A valid filled form for every definition in server/forms/ (what an assistant would enter)."""

from __future__ import annotations

from tests.catalogue.samples_maternal_child import LATER as MATERNAL_CHILD

RESIDENT_ID = "6f1c2a9e-3b7d-4c1e-9a55-2d8e0f4b7c31"

VALID: dict[str, dict] = {
    "health_record": {
        "action": "update",
        "update_reasons": ["moved", "annual_review"],
        "residence_type": "registered",
        "education": "junior",
        "marital_status": "married",
        "payment_methods": ["resident_insurance"],
        "drug_allergy": True,
        "drug_allergy_details": "青霉素",
        "diagnosed_conditions": ["hypertension"],
        "consent_given": True,
    },
    "health_education": {
        "activity_type": "lecture",
        "activity_date": "2026-03-02",
        "topic": "高血压的自我管理",
        "topic_areas": ["chronic_disease"],
        "location": "村委会会议室",
        "participants": 35,
        "duration_minutes": 60,
    },
    "vaccination_notice": {
        "vaccines": ["mmr"],
        "dose_number": 1,
        "appointment_date": "2026-12-20",
        "notified_person": "mother",
        "guardian": RESIDENT_ID,
        "notice_method": "phone",
        "previous_dose": "missed",
        "missed_reason": "ill",
    },
    "child_checkup": {
        "stage": "follow_up",
        "checkup_age": "m6",
        "attended": True,
        "checkup_date": "2026-03-01",
        "weight_kg": 7.8,
        "height_cm": 67.5,
        "advice_told": ["nutrition"],
    },
    "early_pregnancy": {
        "last_menstrual_period": "2026-01-10",
        "confirmed_by": "home_test",
        "gravidity": 2,
        "parity": 1,
        "handbook_issued": True,
        "handbook_date": "2026-02-20",
        "first_antenatal_done": False,
    },
    "postpartum_visit": {
        "visit_number": "1",
        "delivery_date": "2026-02-25",
        "delivery_place": "health_centre",
        "visit_method": "home",
        "with_health_worker": True,
        "mother_temperature": 36.8,
        "mother_blood_pressure": {"systolic": 118, "diastolic": 76},
        "mother_complaints": ["breast_pain"],
        "advised_to_see_doctor": True,
        "feeding": "exclusive_breast",
        "baby_weight_kg": 3.4,
    },
    "elderly_checkup": {
        "stage": "follow_up",
        "attended": False,
        "not_attended_reason": "away",
        "lives_alone": True,
    },
    "hypertension_followup": {
        "visit_method": "home",
        "bp_source": "measured",
        "blood_pressure": {"systolic": 142, "diastolic": 88},
        "heart_rate": 72,
        "weight_kg": 68.5,
        "medication": "regular",
        "complaints": ["none"],
        "next_followup_date": "2026-06-01",
    },
    "diabetes_followup": {
        "visit_method": "phone",
        "glucose_measured": True,
        "glucose_timing": "fasting",
        "blood_glucose": 7.2,
        "medication": "intermittent",
        "complaints": ["thirst", "urination"],
    },
    "mental_disorder_followup": {
        "visit_method": "home",
        "visited_with": ["village_doctor"],
        "saw_patient": True,
        "guardian_contacted": True,
        "family_reports": ["as_usual"],
        "medication": "regular",
        "incident_since_last": False,
        "reported_to_centre": True,
    },
    "tuberculosis_followup": {
        "visit_method": "home",
        "treatment_phase": "continuation",
        "supervisor": "family",
        "missed_doses": 0,
        "card_filled": True,
        "complaints": ["none"],
        "recheck_reminded": True,
        "recheck_date": "2026-04-15",
    },
    "supervision_clue": {
        "clue_type": "illegal_practice",
        "discovered_date": "2026-03-01",
        "location": "镇东街12号",
        "description": "无证诊所给村民输液",
        "reported_to": "health_office",
        "report_method": "phone",
        "reported_date": "2026-03-01",
    },
    "contraceptive_distribution": {
        "items": ["condom", "oral_pill"],
        "condom_count": 20,
        "oral_pill_boxes": 3,
        "channel": "home_delivery",
        "usage_explained": True,
    },
    "two_cancer_screening": {
        "stage": "notification",
        "screenings": ["cervical", "breast"],
        "appointment_date": "2026-12-15",
        "notice_method": "in_person",
    },
    "health_literacy": {
        "activity_type": "survey",
        "activity_date": "2026-03-03",
        "themes": ["lifestyle", "medicines"],
        "people_reached": 12,
        "questionnaires": 12,
    },
}

# Later versions whose questions differ from version 1's, by (code, version); a later version
# without its own sample is filled like version 1 (hypertension v2 only adds rules).
LATER: dict[tuple[str, int], dict] = {**MATERNAL_CHILD}


def sample_for(code: str, version: int = 1) -> dict:
    """The valid sample of one version of a form."""
    return LATER.get((code, version), VALID[code])
