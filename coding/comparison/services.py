"""Writes of the comparison: the study's extra stop words for word frequencies."""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from rest_framework.exceptions import ValidationError

from coding.comparison.selectors.words import WORD
from coding.comparison.stopwords import normal_word
from coding.models import StudyStopWords
from healing.audit.services import audit_record
from interviews.models import Study

MAX_STOP_WORDS = 2000


def stop_words_parse(text: str) -> list[str]:
    """The words of ``text`` (separated by spaces, commas, semicolons or lines) as counted:
    lower case, ``’`` as ``'``, each once, in alphabetical order. Anything that is not one word
    (letters with apostrophes inside) is a 400 naming it."""
    found = {normal_word(w) for w in re.split(r"[\s,;]+", text or "") if w}
    bad = sorted(w for w in found if len(w) > 100 or not WORD.fullmatch(w))
    if bad:
        raise ValidationError(
            {"words": f"Not words (letters, with apostrophes inside): {', '.join(bad[:10])}."}
        )
    if len(found) > MAX_STOP_WORDS:
        raise ValidationError({"words": f"At most {MAX_STOP_WORDS} stop words."})
    return sorted(found)


def study_stop_words_set(*, study: Study, words: list[str], actor: Any) -> list[str]:
    """Replace the study's extra stop words with ``words`` (already parsed). Audited; the same
    list again changes and records nothing. The caller checks that ``actor`` leads the study
    and that it is not archived."""
    with transaction.atomic():
        row, _ = StudyStopWords.objects.select_for_update().get_or_create(study=study)
        before = list(row.words or [])
        if before == words:
            return words
        row.words = words
        row.updated_by = actor if getattr(actor, "is_authenticated", False) else None
        row.save()
        added = sorted(set(words) - set(before))
        removed = sorted(set(before) - set(words))
        audit_record(
            study_id=study.pk,
            actor=actor,
            action="update",
            object_type="stop_words",
            object_id=study.pk,
            before={"words": before},
            after={"words": words},
            summary=f"Stop words: {len(added)} added, {len(removed)} removed ({len(words)} now)",
        )
    return words
