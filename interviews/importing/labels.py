"""Recognise speaker labels that name a role ("Interviewer", "Dr. Lee", "P3").

Shared by turn detection (a role word is reason enough to trust a "Name:" label) and by
``guess_speaker_roles``.
"""

import re
from typing import Literal

RoleWord = Literal["interviewer", "clinician", "patient", "interviewee"]

INTERVIEWER_WORDS = frozenset({"interviewer", "int", "i", "q", "researcher", "moderator"})
CLINICIAN_WORDS = frozenset(
    {"doctor", "dr", "clinician", "physician", "nurse", "np", "pa", "gp", "provider"}
)
PATIENT_WORDS = frozenset({"patient", "pt"})
# Whoever is being interviewed: Participant, Respondent, Answer. Which role that is depends on
# the interview's perspective, so these are kept apart from the patient words.
INTERVIEWEE_WORDS = frozenset({"p", "r", "a", "respondent", "participant"})

# A role word on its own, optionally numbered or lettered: "Int.", "P1", "Patient 3",
# "Interviewer B". The letter must be a capital so "A note" is not read as a label.
_ROLE_LABEL = re.compile(r"(?P<word>[^\W\d_]+)\.?(?:[ -]?\d{1,3}|(?-i:[ ][A-Z]))?", re.IGNORECASE)
# A title followed by a name, which must be capitalised: "Dr. Lee", "Dr Okafor", "Nurse Jackie".
_TITLE_LABEL = re.compile(r"(?:dr|doctor|nurse)(?:\.\s*|\s+)(?P<name>\S.*)", re.IGNORECASE)


def clean_label(label: str) -> str:
    """Trim a label as people write it in a speaker map: spaces and a trailing colon."""
    return label.strip().removesuffix(":").strip()


def role_word(label: str) -> RoleWord | None:
    """Say which kind of role a label names, or None when it is just a name."""
    name = clean_label(label)
    match = _ROLE_LABEL.fullmatch(name)
    if match:
        word = match["word"].casefold()
        if word in INTERVIEWER_WORDS:
            return "interviewer"
        if word in CLINICIAN_WORDS:
            return "clinician"
        if word in PATIENT_WORDS:
            return "patient"
        if word in INTERVIEWEE_WORDS:
            return "interviewee"
    title = _TITLE_LABEL.fullmatch(name)
    if title and title["name"][0].isupper():
        return "clinician"
    return None
