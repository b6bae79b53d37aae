"""The interview fields each audit record of an interview snapshots (shared by dyad and interview
deletes)."""

INTERVIEW_FIELDS = [
    "dyad",
    "perspective",
    "title",
    "conducted_on",
    "interviewer",
    "text_sha256",
    "word_count",
    "source_name",
    "source_format",
]
