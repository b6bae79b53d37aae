"""Guess each speaker's role in an interview from how the speaker is labelled."""

from .errors import TranscriptError
from .labels import clean_label, role_word

ROLES = ("interviewer", "patient", "clinician", "other")
PERSPECTIVES = ("patient", "clinician", "other")


def guess_speaker_roles(
    speakers: list[str], *, perspective: str, speaker_map: dict[str, str] | None = None
) -> dict[str, str]:
    """A role from ROLES for every distinct speaker in ``speakers`` (including "").

    In order of precedence:

    1. ``speaker_map`` entries, matched ignoring case, surrounding spaces and a trailing colon.
    2. Role labels: "Interviewer", "Int", "I", "Q", "Researcher", "Moderator" are the
       interviewer; "Dr. Lee", "Doctor", "Clinician", "Physician", "Nurse", "NP", "PA", "GP",
       "Provider" a clinician; "Patient", "Pt" the patient. "P", "R", "A", "Respondent" and
       "Participant" mean whoever is interviewed, so they take the perspective's role
       (patient, clinician or other). Numbered forms count too ("P1", "Interviewer 2").
    3. If exactly one named speaker is still unassigned and nobody holds the perspective's
       role yet, that speaker is the interviewee and takes the perspective's role; every other
       unassigned speaker, and "", is "other".
    """
    if perspective not in PERSPECTIVES:
        raise TranscriptError(
            f"perspective must be patient, clinician or other, not {perspective!r}."
        )
    mapped = _normalise_map(speaker_map or {})
    distinct = list(dict.fromkeys(speakers))
    roles: dict[str, str] = {}
    for speaker in distinct:
        role = mapped.get(_key(speaker)) or _role_from_label(speaker, perspective)
        if role is not None:
            roles[speaker] = role

    unassigned = [speaker for speaker in distinct if speaker not in roles and speaker.strip()]
    interviewee_known = perspective in roles.values()
    for speaker in distinct:
        if speaker in roles:
            continue
        if len(unassigned) == 1 and speaker == unassigned[0] and not interviewee_known:
            roles[speaker] = perspective
        else:
            roles[speaker] = "other"
    return roles


def _key(speaker: str) -> str:
    return clean_label(speaker).casefold()


def _normalise_map(speaker_map: dict[str, str]) -> dict[str, str]:
    normalised: dict[str, str] = {}
    for speaker, role in speaker_map.items():
        value = role.strip().lower()
        if value not in ROLES:
            raise TranscriptError(
                f"Speaker map: {role!r} for {speaker!r} is not a role; "
                f"use one of {', '.join(ROLES)}."
            )
        normalised[_key(speaker)] = value
    return normalised


def _role_from_label(speaker: str, perspective: str) -> str | None:
    word = role_word(speaker)
    if word == "interviewee":
        return perspective
    return word
