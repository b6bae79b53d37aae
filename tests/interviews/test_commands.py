"""The import commands and load_demo."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from coding.models import Coding, Layer
from interviews.models import AttributeDefinition, Dyad, Interview, Participant, Study

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=out)
    return out.getvalue()


def test_import_interview_creates_the_dyad_and_reports_turns(study: Study, tmp_path: Path) -> None:
    path = tmp_path / "d07-patient.txt"
    path.write_text("Interviewer: Hello?\nJane: Hello, I'm fine.\n", encoding="utf-8")
    output = run(
        "import_interview",
        "--study",
        study.slug,
        "--dyad",
        "D07",
        "--perspective",
        "patient",
        "--speakers",
        "Jane=patient",
        str(path),
    )
    interview = Interview.objects.get(dyad__label="D07")
    assert f"imported as interview {interview.pk}" in output
    assert "new dyad D07" in output
    assert list(interview.turns.values_list("role", flat=True)) == ["interviewer", "patient"]


def test_import_interview_errors_are_one_line_and_store_nothing(
    study: Study, tmp_path: Path
) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 100)
    with pytest.raises(CommandError) as caught:
        run(
            "import_interview",
            "--study",
            study.slug,
            "--dyad",
            "D01",
            "--perspective",
            "patient",
            str(path),
        )
    assert "image.txt" in str(caught.value)
    assert "\n" not in str(caught.value)
    assert not Dyad.objects.filter(study=study).exists()


def test_import_interview_unknown_study_names_it(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No study with slug 'nope'"):
        run(
            "import_interview",
            "--study",
            "nope",
            "--dyad",
            "D1",
            "--perspective",
            "patient",
            str(tmp_path / "x.txt"),
        )


def test_import_interviews_reads_a_manifest_with_typed_attributes(
    study: Study, tmp_path: Path
) -> None:
    (tmp_path / "a.txt").write_text("Interviewer: Hi?\nAna: Hi.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Interviewer: Hi?\nDr. Lee: Morning.\n", encoding="utf-8")
    (tmp_path / "c.txt").write_text("Interviewer: Hi?\nBo: Hello.\n", encoding="utf-8")
    (tmp_path / "manifest.csv").write_text(
        "file,dyad,perspective,clinician,patient,clinician.type,patient.age_band,years_together,weekly\n"
        "a.txt,D01,patient,Dr. Lee,Ana,MD,65+,12,yes\n"
        "b.txt,D01,clinician,Dr. Lee,Ana,MD,65+,12,yes\n"
        "c.txt,D02,patient,Dr. Lee,Bo,MD,40-64,3,no\n",
        encoding="utf-8",
    )
    output = run("import_interviews", "--study", study.slug, str(tmp_path / "manifest.csv"))
    assert "3 of 3 files imported" in output
    d01 = Dyad.objects.get(study=study, label="D01")
    assert d01.attributes == {"years_together": 12, "weekly": True}
    assert d01.clinician.attributes == {"type": "MD"}
    assert d01.patient.attributes == {"age_band": "65+"}
    # One clinician, two dyads (as in the paper).
    assert Participant.objects.filter(study=study, role="clinician").count() == 1
    assert Dyad.objects.get(study=study, label="D02").clinician == d01.clinician
    types = dict(
        AttributeDefinition.objects.filter(study=study, entity="dyad").values_list("key", "type")
    )
    assert types == {"years_together": "integer", "weekly": "boolean"}


def test_import_interviews_is_all_or_nothing_per_file_and_reports_each(
    study: Study, tmp_path: Path
) -> None:
    (tmp_path / "good.txt").write_text("Interviewer: Hi?\nAna: Hi.\n", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "manifest.csv").write_text(
        "file,dyad,perspective,years_together\n"
        "good.txt,D01,patient,4\n"
        "empty.txt,D02,patient,5\n"
        "missing.txt,D03,patient,6\n"
        "good.txt,D04,nurse,7\n",
        encoding="utf-8",
    )
    out = StringIO()
    with pytest.raises(CommandError, match="3 file"):
        call_command(
            "import_interviews", "--study", study.slug, str(tmp_path / "manifest.csv"), stdout=out
        )
    report = out.getvalue()
    assert "ok    good.txt" in report
    assert "fail  empty.txt" in report
    assert "fail  missing.txt" in report
    assert "perspective" in report
    assert "1 of 4 files imported" in report
    assert sorted(Dyad.objects.filter(study=study).values_list("label", flat=True)) == ["D01"]


def test_manifest_without_required_columns_is_refused(study: Study, tmp_path: Path) -> None:
    (tmp_path / "m.csv").write_text("path,dyad\nx.txt,D1\n", encoding="utf-8")
    with pytest.raises(CommandError, match="missing column"):
        run("import_interviews", "--study", study.slug, str(tmp_path / "m.csv"))


def test_load_demo_builds_the_demo_study_and_is_idempotent() -> None:
    output = run("load_demo")
    assert "Demo logins" in output
    assert "lead" in output
    assert "healing-lead-demo" in output
    study = Study.objects.get(slug="demo")
    assert get_user_model().objects.get(username="ana").check_password("healing-ana-demo")
    dyads = Dyad.objects.filter(study=study).select_related("clinician")
    assert dyads.count() >= 8
    clinicians = {d.clinician.pseudonym for d in dyads}
    assert len(clinicians) >= 3
    assert any(sum(d.clinician.pseudonym == c for d in dyads) >= 2 for c in clinicians)
    assert {d.clinician.attributes["type"] for d in dyads} == {"MD", "NP", "PA"}
    interviews = Interview.objects.filter(dyad__study=study)
    for dyad in dyads:
        assert set(interviews.filter(dyad=dyad).values_list("perspective", flat=True)) == {
            "patient",
            "clinician",
        }
    for interview in interviews:
        assert 1500 <= interview.word_count <= 3000, interview
    coders = set(
        Coding.objects.filter(interview__dyad__study=study, layer=Layer.INDIVIDUAL).values_list(
            "coder__username", flat=True
        )
    )
    assert coders == {"ana", "ben"}
    assert Coding.objects.filter(interview__dyad__study=study, layer=Layer.CONSENSUS).exists()
    for coding in Coding.objects.filter(interview__dyad__study=study).select_related("interview")[
        :500
    ]:
        assert coding.interview.text[coding.start : coding.end] == coding.quote

    counts = (Interview.objects.count(), Coding.objects.count())
    again = run("load_demo")
    assert "already loaded" in again
    assert (Interview.objects.count(), Coding.objects.count()) == counts


def test_demo_users_exist_only_through_the_command(db: Any) -> None:
    assert not get_user_model().objects.filter(username__in=["ana", "ben", "vera"]).exists()
