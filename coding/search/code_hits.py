"""Code search hits: every hit of a search (or the chosen ones, or the turns they start in) with
one code into the user's own layer, as a job undone as one step (the autocode machinery:
``coding.autocode.services.spans_code`` and ``autocode_undo``).

The job runs the search again on the texts as they are then; a chosen hit no longer found is
counted, not coded. A span the user's layer already codes with that code is skipped and
counted. Only coders and leads code, always into their own individual layer (so blind coding
holds: the text is shared, the codings stay one's own), never in an archived study.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from coding.autocode.services import code_of_study, spans_code
from coding.job_kinds import JobKind
from coding.search.service import Search, search_all_hits, search_from_params
from healing.audit.services import audit_record
from healing.jobs.models import Job
from healing.jobs.services import Progress, job_create
from interviews.models import Study
from interviews.selectors import STUDY_ARCHIVED, study_access_for_user

UNITS = ("hit", "turn")
MAX_HITS = 20_000
MAX_CHOSEN = 5_000


@dataclass(frozen=True)
class SearchCodeRequest:
    """The job's params: the code, whose layer, the search (its query parameters), ``unit``
    hit or turn, and ``chosen`` [interview, start, end] hits (None: every hit)."""

    code: int
    coder: int
    params: list[list[str]]
    unit: str = "hit"
    chosen: list[list[int]] | None = None


def _params_dict(pairs: Sequence[Sequence[str]]) -> dict[str, list[str]]:
    params: dict[str, list[str]] = defaultdict(list)
    for name, value in pairs:
        params[name].append(value)
    return dict(params)


def _chosen(raw: Any) -> list[list[int]] | None:
    if raw is None:
        return None
    if not isinstance(raw, list | tuple) or not raw:
        raise ValidationError({"hits": "List the chosen hits as [interview, start, end]."})
    if len(raw) > MAX_CHOSEN:
        raise ValidationError({"hits": f"Choose at most {MAX_CHOSEN} hits at once."})
    chosen = []
    for item in raw:
        if (
            not isinstance(item, list | tuple)
            or len(item) != 3
            or not all(isinstance(v, int) and not isinstance(v, bool) for v in item)
            or not 0 <= item[1] < item[2]
        ):
            raise ValidationError({"hits": "Each chosen hit is [interview, start, end]."})
        chosen.append([int(v) for v in item])
    return chosen


def search_code_check(
    *,
    study: Study,
    user: Any,
    code: Any,
    params: Mapping[str, Sequence[str]],
    unit: str = "hit",
    chosen: Any = None,
) -> SearchCodeRequest:
    """Check a request (400 naming the field, nothing started): the code active in the
    study's codebook, the search valid, the unit hit or turn, the chosen hits well formed."""
    found = code_of_study(study=study, code=code)
    search = search_from_params(study=study, params=params)
    if unit not in UNITS:
        raise ValidationError({"unit": "Use hit (the hits' own spans) or turn (their turns)."})
    return SearchCodeRequest(
        code=found.pk,
        coder=user.pk,
        params=[[name, value] for name, value in search.as_params()],
        unit=unit,
        chosen=_chosen(chosen),
    )


def search_code_start(*, study: Study, user: Any, request: SearchCodeRequest) -> Job:
    return job_create(kind=JobKind.SEARCH_CODE, user=user, study=study, params=asdict(request))


def _spans(
    *, study: Study, search: Search, request: SearchCodeRequest
) -> tuple[dict[int, list[tuple[int, int]]], int, int]:
    """interview id → spans to code, the number of hits, and of chosen hits not found."""
    chosen = {tuple(item) for item in request.chosen} if request.chosen is not None else None
    interview_ids = sorted({item[0] for item in chosen}) if chosen else ()
    spans: dict[int, list[tuple[int, int]]] = defaultdict(list)
    hits = 0
    found_chosen = 0
    for found in search_all_hits(
        study=study,
        search=search,
        interview_ids=interview_ids,
    ):
        for start, end, turn in found.hits:
            if chosen is not None:
                if (found.candidate.pk, start, end) not in chosen:
                    continue
                found_chosen += 1
            hits += 1
            if hits > MAX_HITS:
                raise ValidationError(
                    {
                        "q": f"The search has more than {MAX_HITS:,} hits: narrow it (filters, "
                        "a longer word) or choose hits."
                    }
                )
            if request.unit == "turn" and turn is not None:
                spans[found.candidate.pk].append((turn.start, turn.end))
            else:
                spans[found.candidate.pk].append((start, end))
    missing = len(chosen) - found_chosen if chosen is not None else 0
    return spans, hits, missing


def search_code_run(*, job: Job, progress: Progress | None = None) -> dict[str, Any]:
    """What the job runs: search again, code the spans, audit each coding and the run."""
    study = job.study
    assert study is not None
    if study.archived:
        raise PermissionDenied(STUDY_ARCHIVED)
    request = SearchCodeRequest(**job.params)
    access = study_access_for_user(user=job.user, study=study)
    if access is None or not access.can_code or request.coder != job.user_id:
        raise PermissionDenied("Only the study's coders and leads code, into their own layer.")
    code = code_of_study(study=study, code=request.code)
    search = search_from_params(study=study, params=_params_dict(request.params))
    if progress is not None:
        progress(5, "Searching")
    spans, hits, missing = _spans(study=study, search=search, request=request)
    via = f"search coding job {job.pk}"
    with transaction.atomic():
        created_rows, skipped = spans_code(
            study_id=study.pk,
            job=job,
            code=code,
            coder=job.user,
            spans=spans,
            via=via,
            progress=progress,
        )
        unit = "turn" if request.unit == "turn" else "hit"
        what = "the chosen hits" if request.chosen is not None else "every hit"
        if unit == "turn":
            what = f"the turns of {what}"
        summary = (
            f"Coded {len(created_rows)} span{'s' if len(created_rows) != 1 else ''} "
            f"({what} of {search.query.describe()}: {hits} hit{'s' if hits != 1 else ''} in "
            f"{len(spans)} interview{'s' if len(spans) != 1 else ''}) with {code.key} into "
            f"{job.user.get_username()}'s layer"
            + (f"; {skipped} already coded" if skipped else "")
            + (
                f"; {missing} chosen hit{'s' if missing != 1 else ''} no longer found"
                if missing
                else ""
            )
        )
        audit_record(
            study_id=study.pk,
            actor=job.user,
            action="create",
            object_type=JobKind.SEARCH_CODE.value,
            object_id=job.pk,
            after={
                **asdict(request),
                "hits": hits,
                "created": len(created_rows),
                "skipped": skipped,
                "not_found": missing,
            },
            summary=summary,
        )
    return {
        "summary": summary,
        "code": code.pk,
        "code_key": code.key,
        "code_name": code.name,
        "coder": job.user_id,
        "coder_name": job.user.get_username(),
        "query": search.query.describe(),
        "filters": search.describe()[1:],
        "search": [[name, value] for name, value in search.as_params()],
        "unit": unit,
        "hits": hits,
        "interviews": len(spans),
        "created": len(created_rows),
        "skipped": skipped,
        "not_found": missing,
        "coding_ids": [row[0] for row in created_rows],
        # [coding id, interview id, start, end]: what undo compares against.
        "codings": created_rows,
        "undone": None,
    }
