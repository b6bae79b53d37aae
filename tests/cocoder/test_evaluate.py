"""Leave-one-dyad-out evaluation: its statistics are the agreement report's on the same layers,
and the cocoder_evaluate command's output and bad input."""

from __future__ import annotations

import io
import json
import random
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from coding.cocoder.engines import TfidfEngine
from coding.cocoder.evaluate import evaluate_leave_one_dyad_out, study_corpus
from coding.models import Assignment
from coding.services import CodingInput, codings_bulk_create
from coding.team.reports import AgreementRequest, agreement_report_compute
from interviews.models import Interview, Study, Turn
from tests.factories import code, make_interview

pytestmark = pytest.mark.django_db

ANSWERS = {
    "VAL.PRES.ATT": [
        "She listened to every word I said.",
        "He really listened, he sat down and listened to me.",
        "She listens and looks at me, not at the screen.",
    ],
    "POW.EDU": [
        "She explained the diabetes with a drawing.",
        "He explained what the pills do, step by step.",
        "She explains the test results so I understand them.",
    ],
    "": [
        "The parking lot was full again.",
        "We talked about the weather and my garden.",
        "I take the bus on Tuesdays.",
        "My daughter drove me there.",
    ],
}


def coded_study(study: Study, coder: Any, dyads: int = 5, seed: int = 3) -> list[Interview]:
    """``dyads`` patient interviews of question-and-answer turns; ``coder`` codes each answer
    whose sentence belongs to a code with that code (the study's best layer)."""
    rng = random.Random(seed)
    interviews = []
    for number in range(dyads):
        answers = [rng.choice(sorted(ANSWERS)) for _ in range(12)]
        said = [(key, rng.choice(ANSWERS[key])) for key in answers]
        text = "".join(f"Interviewer: Tell me more.\n\nMaria: {line}\n\n" for _, line in said)
        interview = make_interview(study=study, dyad=f"D{number:02d}", text=text)
        turns = list(
            Turn.objects.filter(interview=interview, speaker="Maria")
            .order_by("index")
            .values_list("start", "end")
        )
        items = [
            CodingInput(code_id=code(study, key).pk, start=start, end=end)
            for (key, _), (start, end) in zip(said, turns, strict=True)
            if key
        ]
        codings_bulk_create(interview=interview, coder=coder, items=items)
        interviews.append(interview)
    return interviews


@pytest.mark.parametrize("unit", ["turn", "sentence"])
def test_the_evaluation_statistics_are_the_agreement_reports_on_the_same_layers(
    study: Study, coder: Any, coder2: Any, unit: str
) -> None:
    interviews = coded_study(study, coder)
    corpus = study_corpus(study=study)
    evaluation = evaluate_leave_one_dyad_out(
        corpus=corpus, engine=TfidfEngine(threshold=0.5, min_positives=2), unit=unit
    )
    assert evaluation.dyads == 5
    by_key = {c.key: c for c in evaluation.codes}
    assert by_key["VAL.PRES.ATT"].passages + by_key["POW.EDU"].passages > 0
    assert by_key["VAL.PRES.ATT"].alpha is not None
    assert by_key["VAL.PRES.ATT"].alpha > 0.5
    if unit == "sentence":
        # The team's report has no sentence unit: its turn unit is only checked on turns.
        return
    # The suggestions become coder2's layer, the settled coding is coder's: the team's report
    # over the database must give the very same figures.
    for interview in interviews:
        codings_bulk_create(
            interview=interview,
            coder=coder2,
            items=[
                CodingInput(code_id=c, start=s, end=e)
                for c, s, e in evaluation.suggestions[interview.pk]
            ],
        )
        for who in (coder, coder2):
            Assignment.objects.create(interview=interview, coder=who)
    team = agreement_report_compute(
        study=study,
        request=AgreementRequest(scope="study", unit="turn", coders=[coder.pk, coder2.pk]),
    )
    ours = {row["code"]: row for row in evaluation.report["codes"]}
    theirs = {row["code"]: row for row in team["codes"]}
    assert set(ours) == set(theirs)
    for code_id, row in theirs.items():
        for name in ("both", "only_a", "only_b", "neither", "percent", "kappa", "alpha"):
            assert ours[code_id][name] == row[name], (row["key"], name)
    for name in ("percent", "kappa", "alpha"):
        assert evaluation.report["overall"][name] == team["overall"][name]
        assert evaluation.overall[name] == team["overall"][name]
    figures = {c.key: c for c in evaluation.codes}
    for row in team["codes"]:
        assert (figures[row["key"]].percent, figures[row["key"]].kappa) == (
            row["percent"], row["kappa"],
        )  # fmt: skip


def test_the_command_prints_json_of_the_stated_shape(study: Study, coder: Any) -> None:
    coded_study(study, coder)
    out = io.StringIO()
    call_command("cocoder_evaluate", "--study", study.slug, "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert list(data) == ["engine", "unit", "codes", "mean_alpha"]
    assert (data["engine"], data["unit"]) == ("tfidf", "turn")
    assert data["codes"]
    for row in data["codes"]:
        assert list(row) == ["key", "passages", "percent", "kappa", "alpha"]
    att = next(row for row in data["codes"] if row["key"] == "VAL.PRES.ATT")
    assert att["passages"] >= 20
    counted = [r["alpha"] for r in data["codes"] if r["passages"] >= 20 and r["alpha"] is not None]
    assert data["mean_alpha"] == pytest.approx(sum(counted) / len(counted))


def test_the_command_prints_a_table(study: Study, coder: Any) -> None:
    coded_study(study, coder, dyads=3)
    out = io.StringIO()
    call_command("cocoder_evaluate", "--study", study.slug, "--unit", "sentence", stdout=out)
    text = out.getvalue()
    assert "Engine tfidf, unit sentence, leave-one-dyad-out over 3 dyads" in text
    assert "passages  percent   kappa   alpha" in text
    assert "\nVAL.PRES.ATT " in text
    assert "\noverall " in text
    assert "mean alpha over codes with at least 20 passages" in text


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--study", "nope"], "No study with slug 'nope'"),
        (["--engine", "bert"], "Unknown engine 'bert': use tfidf or embedding."),
        (["--unit", "word"], "Unknown unit 'word': use turn or sentence."),
        ([], "at least two dyads"),
    ],
)
def test_the_command_refuses_bad_input(study: Study, arguments: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("cocoder_evaluate", "--study", study.slug, *arguments, stdout=io.StringIO())


def test_the_embedding_engine_without_the_extra_is_a_clear_error(study: Study) -> None:
    try:
        import sentence_transformers  # noqa: F401
    except ImportError:
        pass
    else:
        pytest.skip("the AI extra is installed here")
    with pytest.raises(CommandError, match=r"not part of this version"):
        call_command(
            "cocoder_evaluate", "--study", study.slug, "--engine", "embedding",
            stdout=io.StringIO(),
        )  # fmt: skip
