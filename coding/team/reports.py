"""Agreement reports as jobs: the request, the job handler, and CSV/XLSX exports of a result.

A report compares the individual layers of two or more coders over an interview, a dyad or the
whole study, on one unit (character, turn or segment; see ``coding.analysis.agreement_report``).
The result is stored on the job (``Job.result``) with the labels it was computed with, so the
page and the exports show the report as it was, even after codes are renamed.
"""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone

from coding.analysis.agreement_report import UNCODED_TEXT, UNIT_LABELS, UNITS, AgreementReport
from coding.exchange.tabular import Sheet, safe_cells, write_xlsx
from coding.job_kinds import JobKind
from coding.models import Coding
from coding.team.selectors import (
    agreement_inputs,
    codes_by_id,
    display_name,
    interview_labels,
    study_interview_ids,
)
from healing.audit.services import audit_export
from healing.jobs.models import Job, JobState
from healing.jobs.services import JobError, Progress, job_create, job_handler
from interviews.models import Dyad, Interview, Membership, Study

SCOPES = ("study", "dyad", "interview")
DEFAULT_THRESHOLD = 0.5

MISSING_RULE = (
    "A coder counts for an interview where they were assigned to it or coded in it at all; "
    "elsewhere their values are missing, not “no”. Krippendorff's alpha uses every unit with two "
    "or more coders; Cohen's kappa, Scott's pi and a pair's agreement use the interviews both "
    "coders count for; Fleiss' kappa and the all-coders agreement use the interviews every "
    "coder counts for. An interview with fewer than two coders counting contributes nothing."
)
UNITIZING_NOTE = (
    "Unitizing α (Krippendorff 2004, Content Analysis, 2nd ed., §12.4; 1995, Sociological "
    "Methodology 25): agreement on where each code's stretches begin and end, comparing each "
    "coder's coded stretches and the uncoded gaps between them; pooled over interviews as one "
    "continuum laid end to end (no stretch crosses from one interview into the next); the "
    "overall value is 1 − ΣD_o / ΣD_e over the listed codes."
)


@dataclass(frozen=True)
class AgreementRequest:
    """What to compare: ``scope`` study, dyad or interview (``target`` its id), the ``unit``,
    the ``coders`` (user ids, at least two) and the segment unit's overlap ``threshold``."""

    scope: str
    unit: str
    coders: list[int] = field(default_factory=list)
    target: int | None = None
    threshold: float = DEFAULT_THRESHOLD


def _int(value: Any, name: str) -> int:
    try:
        if isinstance(value, bool):
            raise TypeError
        return int(value)
    except (TypeError, ValueError):
        raise ValidationError({name: f"{value!r} is not a whole number."}) from None


def agreement_request_clean(*, study: Study, data: Mapping[str, Any]) -> AgreementRequest:
    """Check a report request against the study: the target is the study's, the coders have
    coded in it or are its members. Raises ValidationError naming the field."""
    scope = str(data.get("scope") or "study")
    if scope not in SCOPES:
        raise ValidationError({"scope": "Choose the whole study, a dyad or an interview."})
    unit = str(data.get("unit") or "")
    if unit not in UNITS:
        raise ValidationError({"unit": "Choose the unit: character, turn or segment."})
    target: int | None = None
    if scope == "study" and data.get("target") not in (None, ""):
        raise ValidationError({"target": "A report on the whole study takes no target."})
    if scope != "study":
        raw = data.get("target")
        if raw in (None, ""):
            raise ValidationError({"target": f"Choose the {scope}."})
        target = _int(raw, "target")
        model = Dyad if scope == "dyad" else Interview
        lookup = {"study": study} if scope == "dyad" else {"dyad__study": study}
        if not model.objects.filter(pk=target, **lookup).exists():
            raise ValidationError({"target": f"No such {scope} in this study."})
    raw_threshold = data.get("threshold")
    try:
        threshold = DEFAULT_THRESHOLD if raw_threshold in (None, "") else float(str(raw_threshold))
    except ValueError:
        raise ValidationError({"threshold": "Give the overlap threshold as 0.5 or 50%."}) from None
    if threshold > 1:
        threshold /= 100  # "50" means 50 %
    if not 0 < threshold <= 1:
        raise ValidationError({"threshold": "The overlap threshold is above 0 and at most 100%."})
    raw_coders = data.get("coders") or []
    if isinstance(raw_coders, str | int):
        raw_coders = [raw_coders]
    coders = list(dict.fromkeys(_int(c, "coders") for c in raw_coders))
    if len(coders) < 2:
        raise ValidationError({"coders": "Choose at least two coders to compare."})
    if len(coders) > 20:
        raise ValidationError({"coders": "Compare at most 20 coders at once."})
    known = set(
        Membership.objects.filter(study=study, user_id__in=coders).values_list("user_id", flat=True)
    )
    rest = [c for c in coders if c not in known]
    if rest:
        known |= set(
            Coding.objects.filter(interview__dyad__study=study, coder_id__in=rest)
            .values_list("coder_id", flat=True)
            .distinct()
        )
    unknown = [c for c in coders if c not in known]
    if unknown:
        raise ValidationError({"coders": f"User {unknown[0]} has not coded in this study."})
    return AgreementRequest(
        scope=scope, unit=unit, coders=coders, target=target, threshold=round(threshold, 4)
    )


def agreement_report_start(*, study: Study, user: Any, request: AgreementRequest) -> Job:
    """Start the report as a background job; the page follows its progress."""
    return job_create(kind=JobKind.AGREEMENT, user=user, study=study, params=asdict(request))


def _scope_label(study: Study, request: AgreementRequest) -> str:
    if request.target is None:
        return f"Study {study.title}"
    if request.scope == "dyad":
        label = Dyad.objects.filter(pk=request.target).values_list("label", flat=True).first()
        return f"Dyad {label}"
    if request.scope == "interview":
        row = (
            Interview.objects.filter(pk=request.target)
            .values_list("dyad__label", "perspective")
            .first()
        )
        return f"Interview {row[0]} · {row[1]}" if row else "Interview"
    return f"Study {study.title}"


def agreement_report_compute(
    *, study: Study, request: AgreementRequest, progress: Progress | None = None
) -> dict[str, Any]:
    """Compute the report (what the job runs). A fixed number of queries, streamed."""
    started = time.perf_counter()
    if request.scope == "interview" and request.target is not None:
        interview_ids = [request.target]
    else:
        interview_ids = study_interview_ids(
            study=study, dyad_id=request.target if request.scope == "dyad" else None
        )
    codes = codes_by_id(study=study)
    report = AgreementReport(
        unit=request.unit,
        coders=request.coders,
        codes=list(codes),
        threshold=request.threshold,
        switched_off={pk for pk, code in codes.items() if not code.is_active},
    )
    total = len(interview_ids)
    step = max(1, total // 20)
    for done, data in enumerate(
        agreement_inputs(interview_ids=interview_ids, coder_ids=request.coders, unit=request.unit),
        start=1,
    ):
        report.add_interview(data)
        if progress is not None and (done % step == 0 or done == total):
            progress(int(95 * done / max(1, total)), f"{done} of {total} interviews compared")
    result = report.result()
    users = {
        pk: display_name(first, last, username)
        for pk, username, first, last in get_user_model()
        .objects.filter(pk__in=request.coders)
        .values_list("pk", "username", "first_name", "last_name")
    }
    labels = interview_labels(interview_ids=[row["interview"] for row in result["per_interview"]])
    for row in result["per_interview"]:
        row.update(
            {
                "dyad": labels.get(row["interview"], {}).get("dyad", ""),
                "perspective": labels.get(row["interview"], {}).get("perspective", ""),
            }
        )
    for row in result["codes"]:
        code = codes[row["code"]]
        row.update({"key": code.key, "name": code.name, "color": code.color, "group": code.group})
    names = [users.get(c, f"user {c}") for c in request.coders]
    for pair in result["missing"]:
        pair.update(
            {
                "coder_name": names[pair["coder"]],
                "dyad": labels.get(pair["interview"], {}).get("dyad", ""),
                "perspective": labels.get(pair["interview"], {}).get("perspective", ""),
            }
        )
    result.update(
        {
            "unused_labels": [codes[pk].key for pk in result["unused_codes"]],
            "missing_rule": MISSING_RULE,
            "unitizing_note": UNITIZING_NOTE if request.unit == "character" else "",
            "request": asdict(request),
            "scope_label": _scope_label(study, request),
            "coder_names": names,
            "unit_label": UNIT_LABELS[request.unit],
            "uncoded_text": UNCODED_TEXT[request.unit],
            "layer": "individual",
            "computed_at": timezone.now().isoformat(),
            "seconds": round(time.perf_counter() - started, 3),
        }
    )
    return result


@job_handler(JobKind.AGREEMENT)
def agreement_job(job: Job, progress: Progress) -> dict[str, Any]:
    if job.study is None:
        raise JobError("An agreement report needs a study.")
    try:
        request = agreement_request_clean(study=job.study, data=job.params)
    except ValidationError as exc:
        raise JobError("; ".join(exc.messages)) from None
    return agreement_report_compute(study=job.study, request=request, progress=progress)


def agreement_reports_of(*, study: Study) -> list[Job]:
    """The study's agreement reports, newest first (one query)."""
    return list(
        Job.objects.filter(study=study, kind=JobKind.AGREEMENT)
        .select_related("user")
        .defer("result")
        .order_by("-created", "-id")[:50]
    )


def agreement_report_get(*, study: Study, pk: int) -> Job | None:
    return Job.objects.filter(study=study, kind=JobKind.AGREEMENT, pk=pk).first()


# The per-interview figure a report shows first: Cohen's kappa for two coders, Fleiss' kappa for
# more, else Krippendorff's alpha, else the percentage agreement.
INTERVIEW_MEASURES = (
    ("kappa", "κ"),
    ("fleiss", "Fleiss κ"),
    ("alpha", "α"),
    ("percent", "% agreement"),
)


def latest_agreement_by_interview(
    *, study: Study, interview_ids: Iterable[int] | None = None, reports: int = 20
) -> dict[int, dict[str, Any]]:
    """Per interview, its figure in the newest finished agreement report that compared it:
    ``{"text": "κ 0.71", "report": job id, "finished", "unit", "measure", "symbol", "value"}``.

    One query: it reads only the ``per_interview`` part of the newest ``reports`` succeeded
    reports' results (a JSON key lookup, not the whole result)."""
    wanted = set(interview_ids) if interview_ids is not None else None
    found: dict[int, dict[str, Any]] = {}
    rows = (
        Job.objects.filter(study=study, kind=JobKind.AGREEMENT, state=JobState.SUCCEEDED)
        .order_by(F("finished").desc(nulls_last=True), "-id")
        .values_list("pk", "finished", "result__unit", "result__per_interview")[:reports]
    )
    for pk, finished, unit, per_interview in rows:
        for row in per_interview or []:
            interview = row.get("interview")
            if interview in found or (wanted is not None and interview not in wanted):
                continue
            measure = next(
                ((key, symbol) for key, symbol in INTERVIEW_MEASURES if row.get(key) is not None),
                None,
            )
            if measure is None:  # fewer than two coders counted: the report says nothing here
                continue
            value = row[measure[0]]
            found[interview] = {
                "text": f"{value * 100:.0f}% agreement"
                if measure[0] == "percent"
                else f"{measure[1]} {value:.2f}",
                "report": pk,
                "finished": finished,
                "unit": unit,
                "measure": measure[0],
                "symbol": measure[1],
                "value": value,
            }
    return found


# --- Exports ------------------------------------------------------------------------------------

EXPORT_COLUMNS = [
    "level",
    "unit",
    "threshold",
    "code_key",
    "code_name",
    "dyad",
    "perspective",
    "interview",
    "coder_a",
    "coder_b",
    "units",
    "agree",
    "both",
    "only_a",
    "only_b",
    "neither",
    "percent",
    "kappa",
    "scott_pi",
    "fleiss_kappa",
    "alpha",
    "unitizing_alpha",
    "missing_coders",
    "notes",
]


def export_rows(result: dict[str, Any]) -> Iterable[list[Any]]:
    """One table: per code, the codes nobody used (one line), overall, per coder pair (per code
    and overall), per interview, and the coder-interview pairs that are missing."""
    unit = result["unit"]
    threshold = result.get("threshold")
    names = result.get("coder_names", [])

    def pair_names(pair: dict[str, Any]) -> tuple[str, str]:
        return names[pair["a"]], names[pair["b"]]

    def line(level: str, stats: dict[str, Any], **fields: Any) -> list[Any]:
        values = {
            "level": level,
            "unit": unit,
            "threshold": threshold,
            "units": stats.get("units"),
            "agree": stats.get("agree"),
            "both": stats.get("both"),
            "only_a": stats.get("only_a"),
            "only_b": stats.get("only_b"),
            "neither": stats.get("neither"),
            "percent": stats.get("percent"),
            "kappa": stats.get("kappa"),
            "scott_pi": stats.get("pi"),
            "fleiss_kappa": stats.get("fleiss"),
            "alpha": stats.get("alpha"),
            "unitizing_alpha": stats.get("unitizing_alpha"),
            "notes": " ".join(n for n in stats.get("notes", []) if n) or stats.get("note", ""),
            **fields,
        }
        if len(names) == 2 and level in {"code", "overall"}:
            values.setdefault("coder_a", names[0])
            values.setdefault("coder_b", names[1])
        return [values.get(column) for column in EXPORT_COLUMNS]

    for row in result["codes"]:
        name = row["name"] + (" (switched off)" if row.get("switched_off") else "")
        yield line("code", row, code_key=row["key"], code_name=name)
    if result.get("unused_labels"):
        unused = ", ".join(result["unused_labels"])
        yield line("unused codes", {"notes": [f"Not used by any coder in scope: {unused}"]})
    yield line("overall", result["overall"])
    for row in result["codes"]:
        if len(names) > 2:
            for pair in row.get("pairs", []):
                a, b = pair_names(pair)
                yield line("code pair", pair, code_key=row["key"], coder_a=a, coder_b=b)
    for pair in result["overall"].get("pairs", []):
        a, b = pair_names(pair)
        yield line("pair", pair, coder_a=a, coder_b=b)
    for row in result["per_interview"]:
        yield line(
            "interview",
            row,
            interview=row["interview"],
            dyad=row.get("dyad"),
            perspective=row.get("perspective"),
            missing_coders=", ".join(names[i] for i in row.get("missing", [])),
        )
    for pair in result.get("missing", []):
        yield line(
            "missing",
            {"notes": ["Neither assigned nor coded: missing, not “no”."]},
            interview=pair["interview"],
            dyad=pair.get("dyad"),
            perspective=pair.get("perspective"),
            coder_a=pair.get("coder_name"),
        )


def agreement_csv(result: dict[str, Any]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    for row in export_rows(result):
        writer.writerow(safe_cells("" if value is None else value for value in row))
    return out.getvalue().encode("utf-8")


def agreement_xlsx(result: dict[str, Any]) -> bytes:
    """The report as a workbook: the settings sheet and the figures, every text cell a value
    (never a formula) and neutralised like the CSV (``spreadsheet_safe``)."""
    request = result.get("request", {})
    settings = [
        ("Scope", result.get("scope_label", "")),
        ("Unit", f"{result['unit']} ({result.get('unit_label', '')})"),
        ("Overlap threshold", result.get("threshold") if result["unit"] == "segment" else "—"),
        ("Coders", ", ".join(result.get("coder_names", []))),
        ("Layer", "each coder's individual layer"),
        ("Interviews", result.get("interviews")),
        ("Units", result.get("units")),
        ("How uncoded text counts", result.get("uncoded_text", "")),
        ("Missing data", result.get("missing_rule", "")),
        ("Missing coder–interview pairs", len(result.get("missing", []))),
        ("Interviews compared", result.get("interviews_compared")),
        ("Codes pooled in the overall row", result.get("pooled_codes")),
        ("Unitizing alpha", result.get("unitizing_note", "") or "—"),
        ("Computed at", result.get("computed_at", "")),
        ("Request", str(request)),
    ]
    out = io.BytesIO()
    write_xlsx(
        out,
        [
            Sheet("Report", ["Setting", "Value"], ([label, value] for label, value in settings)),
            Sheet("Agreement", EXPORT_COLUMNS, export_rows(result)),
        ],
    )
    return out.getvalue()


EXPORTERS = {
    "csv": (agreement_csv, "text/csv; charset=utf-8"),
    "xlsx": (
        agreement_xlsx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
}


def agreement_export(*, job: Job, fmt: str, actor: Any) -> tuple[bytes, str, str]:
    """The report's file (bytes, content type, file name); the export is audited."""
    if fmt not in EXPORTERS:
        raise ValidationError({"format": "Export as csv or xlsx."})
    if job.state != JobState.SUCCEEDED or not job.result:
        raise ValidationError("This report has not finished; export it when it is done.")
    write, content_type = EXPORTERS[fmt]
    data = write(job.result)
    assert job.study_id is not None
    audit_export(
        study_id=job.study_id,
        actor=actor,
        what=f"agreement report {job.pk}",
        format=fmt,
        params={"unit": job.result.get("unit"), "scope": job.result.get("scope_label")},
        rows=len(job.result.get("codes", [])),
    )
    return data, content_type, f"agreement-{job.pk}-{job.result['unit']}.{fmt}"
