"""Valid filled forms for the chronic-care, elderly, education and supervision versions of issue 17.

Keyed by (code, version), each one an assistant's real visit on VISIT (tests/catalogue/samples.py
holds the version 1 samples the generated contract cases start from). A form with several kinds
of visit has one sample per kind, the kind after the version: ("tuberculosis_followup", 2,
"closing").
"""

from __future__ import annotations

from datetime import date

from tests.catalogue.samples import VALID

VISIT = date(2026, 3, 10)

HYPERTENSION_V3 = {
    **VALID["hypertension_followup"],  # version 1's answers all keep their meaning
    "cigarettes_per_day": 0,
    "alcohol_liang_per_day": 0.5,
    "exercise_per_week": 5,
    "exercise_minutes": 30,
    "salt_intake": "moderate",
    "danger_signs": ["none"],
    "doctor_followup_this_quarter": "done",
    "doctor_followup_date": "2026-02-20",
    "annual_check_done": True,
}
DIABETES_V3 = {
    "visit_method": "phone",
    "glucose_measured": True,
    "glucose_timing": "fasting",
    "meter_shows": "value",
    "blood_glucose": 7.2,
    "fasting_glucose_test_done_at_centre": "booked",
    "medication": "intermittent",
    "hypoglycaemia": "none",
    "staple_food_g": 300,
    "cigarettes_per_day": 10,
    "alcohol_liang_per_day": 0,
    "exercise_per_week": 3,
    "exercise_minutes": 40,
    "complaints": ["thirst", "urination"],
    "danger_signs": ["none"],
    "doctor_followup_this_quarter": "booked",
    "doctor_followup_booked_for": "2026-03-20",
}
MENTAL_V2 = {
    "visit_method": "home",
    "visited_with": ["village_doctor"],
    "saw_patient": True,
    "guardian_contacted": True,
    "living_at_home": True,
    "in_hospital_now": False,
    "centre_classification": "stable",
    "classified_on": "2026-01-15",
    "family_reports": ["as_usual"],
    "medication": "regular",
    "incident_since_last": False,
    "annual_check_consented": True,
    "support_needs": ["none"],
}
TB_COMMON = {
    "visit_method": "home",
    "saw_patient": True,
    "missed_doses": 0,
    "card_filled": True,
    "complaints": ["none"],
}
TB_FIRST = {
    **TB_COMMON,
    "visit_kind": "first_72h",
    "notified_on": "2026-03-08",
    "treatment_start": "2026-03-05",
    "retreatment": False,
    "treatment_phase": "intensive",
    "supervisor_type": "family",
    "contacts_advised": True,
    "cough_etiquette": True,
}
TB_ROUTINE = {
    **TB_COMMON,
    "visit_kind": "routine",
    "treatment_phase": "continuation",
    "supervisor_type": "medical",
    "recheck_reminded": True,
    "recheck_date": "2026-04-15",
}
TB_CLOSING = {
    **TB_COMMON,
    "visit_kind": "closing",
    "closing_reason": "completed",
    "treatment_stopped_on": "2026-03-05",
    "card_returned_at_close": True,
}
SELF_CARE = {
    "self_care_asked": True,
    "self_care_eating": "independent",
    "self_care_grooming": "light",
    "self_care_dressing": "independent",
    "self_care_toileting": "independent",
    "self_care_moving": "light",
}
ELDERLY_NOTICE = {
    "stage": "notification",
    "appointment_date": "2026-04-10",
    "notice_method": "phone",
    "fasting_reminded": True,
    "bring_items_reminded": True,
    "transport_arranged": True,
    **SELF_CARE,
    "lives_alone": False,
}
ELDERLY_FOLLOW_UP = {
    "stage": "follow_up",
    "attended": True,
    "checkup_date": "2026-03-01",
    "report_delivered": True,
    "tcm_constitution_done": True,
    "guidance_given": True,
    "self_care_asked": False,
    "lives_alone": True,
}
EDUCATION_LECTURE = {
    "activity_type": "lecture",
    "activity_date": "2026-03-02",
    "topic": "高血压的自我管理",
    "topic_areas": ["chronic_disease"],
    "location": "村委会会议室",
    "organiser": "village_clinic",
    "audience": ["elderly", "chronic_patients"],
    "participants": 35,
    "duration_minutes": 60,
    "materials_kept": ["sign_in", "photos"],
}
EDUCATION_BOARD = {
    "activity_type": "bulletin",
    "activity_date": "2026-03-05",
    "topic": "春季传染病预防",
    "topic_areas": ["infectious_disease"],
    "location": "村委会",
    "organiser": "assistant",
    "bulletin_count": 1,
    "board_location": "村委会门口",
    "board_area_m2": 2.4,
    "materials_kept": ["photos"],
}
LITERACY_V2 = {
    "activity_type": "survey",
    "campaign_code": "HL2026-03",
    "activity_date": "2026-03-03",
    "themes": ["lifestyle", "medicines"],
    "people_reached": 12,
    "questionnaires": 12,
}
CLUE_REPORTED = {
    "clue_type": "illegal_practice",
    "discovered_date": "2026-03-01",
    "location": "镇东街12号",
    "description": "无证诊所给村民输液",
    "reported": True,
    "reported_to": "health_office",
    "report_method": "phone",
    "reported_date": "2026-03-02",
}
CLUE_NOT_REPORTED = {
    "clue_type": "drinking_water",
    "discovered_date": "2026-03-04",
    "location": "三组水井",
    "description": "井水浑浊，村民说有异味",
    "reported": False,
    "not_reported_reason": "checking",
}

SAMPLES: dict[tuple, dict] = {
    ("hypertension_followup", 3): HYPERTENSION_V3,
    ("diabetes_followup", 3): DIABETES_V3,
    ("mental_disorder_followup", 2): MENTAL_V2,
    ("tuberculosis_followup", 2, "first_72h"): TB_FIRST,
    ("tuberculosis_followup", 2, "routine"): TB_ROUTINE,
    ("tuberculosis_followup", 2, "closing"): TB_CLOSING,
    ("elderly_checkup", 2, "notification"): ELDERLY_NOTICE,
    ("elderly_checkup", 2, "follow_up"): ELDERLY_FOLLOW_UP,
    ("health_education", 2, "lecture"): EDUCATION_LECTURE,
    ("health_education", 2, "bulletin"): EDUCATION_BOARD,
    ("health_literacy", 2): LITERACY_V2,
    ("supervision_clue", 2, "reported"): CLUE_REPORTED,
    ("supervision_clue", 2, "not_reported"): CLUE_NOT_REPORTED,
}
# One sample per version, for a generator that derives every rule's case from a version's sample
# (the other kinds of visit are reached by answering the controlling questions). The "reported
# today" questions are answered, so that showing a question by a danger sign (HI on the meter, an
# incident, coughing up blood) breaks only the rule a case is about.
LATER_CHRONIC: dict[tuple[str, int], dict] = {
    ("hypertension_followup", 3): {**HYPERTENSION_V3, "reported_to_village_doctor_today": True},
    ("diabetes_followup", 3): {**DIABETES_V3, "reported_to_village_doctor_today": True},
    ("mental_disorder_followup", 2): {**MENTAL_V2, "reported_to_centre": True},
    ("tuberculosis_followup", 2): {**TB_FIRST, "reported_to_centre_today": True},
    ("elderly_checkup", 2): ELDERLY_NOTICE,
    ("health_education", 2): EDUCATION_LECTURE,
    ("health_literacy", 2): LITERACY_V2,
    ("supervision_clue", 2): CLUE_NOT_REPORTED,
}
