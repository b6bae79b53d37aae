"""manage.py import_qdpx, and export_study --format qdpx / export_codebook --format qdc."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from coding.exchange.refi.validate import project_problems
from coding.models import Code, Coding
from interviews.models import Interview, Study
from tests.coding.refi.test_pages import S1, small_project

pytestmark = pytest.mark.django_db
NVIVO = "nvivo-mac-12.7_OltasSzkepticizmus_17June.qdpx"


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_a_file_that_says_nothing_about_dyads_needs_a_mapping(
    samples: Path, lead: Any, tmp_path: Path
) -> None:
    path = samples / NVIVO
    with pytest.raises(CommandError, match="does not say which dyad"):
        run("import_qdpx", str(path), "--new-study", "nv", "--user", "lead")
    assert not Study.objects.filter(slug="nv").exists()
    plan_path = tmp_path / "plan.json"
    output = run(
        "import_qdpx",
        str(path),
        "--new-study",
        "nv",
        "--user",
        "lead",
        "--plan-out",
        str(plan_path),
    )
    assert "videos_10_selected" in output
    assert not Study.objects.filter(slug="nv").exists()
    plan = json.loads(plan_path.read_text())
    for number, source in enumerate(plan["sources"]):
        source["dyad"], source["perspective"] = "N1", ("patient", "clinician")[number]
    plan_path.write_text(json.dumps(plan))
    output = run(
        "import_qdpx", str(path), "--new-study", "nv", "--title", "NVivo pilot", "--user", "lead",
        "--mapping", str(plan_path),
    )  # fmt: skip
    assert "Imported" in output
    assert "297 codings" in " ".join(output.split())
    study = Study.objects.get(slug="nv")
    assert study.title == "NVivo pilot"
    assert sorted(
        Interview.objects.filter(dyad__study=study).values_list("dyad__label", "perspective")
    ) == [
        ("N1", "clinician"),
        ("N1", "patient"),
    ]


def test_accepting_the_guesses_and_importing_into_an_existing_study(
    study: Study, lead: Any, coder: Any, tmp_path: Path
) -> None:
    path = tmp_path / "small.qdpx"
    path.write_bytes(small_project())
    with pytest.raises(CommandError, match="not a lead"):
        run("import_qdpx", str(path), "--study", "study", "--user", "coder")
    run("import_qdpx", str(path), "--study", "study", "--user", "lead", "--accept-guesses")
    assert (
        Coding.objects.filter(interview__dyad__study=study, interview__dyad__label="D03").count()
        == 1
    )
    assert Interview.objects.get(dyad__label="D03").guid.hex == S1.replace("-", "")


def test_a_bad_file_is_a_one_line_error(study: Study, tmp_path: Path) -> None:
    path = tmp_path / "bad.qdpx"
    path.write_bytes(b"not a zip")
    codes = Code.objects.count()
    with pytest.raises(CommandError, match=r"not a \.qdpx file"):
        run("import_qdpx", str(path), "--new-study", "x", "--user", "lead", "--accept-guesses")
    with pytest.raises(CommandError, match="no such file"):
        run("import_qdpx", str(tmp_path / "missing.qdpx"), "--new-study", "x", "--user", "lead")
    assert Code.objects.count() == codes
    assert not Study.objects.filter(slug="x").exists()


def test_exporting_with_the_commands(study: Study, tmp_path: Path) -> None:
    out = tmp_path / "study.qdpx"
    call_command(
        "export_study", "--study", "study", "--format", "qdpx", "--out", str(out), stderr=StringIO()
    )
    assert project_problems(out.read_bytes()) == []
    qdc = tmp_path / "study.qdc"
    call_command(
        "export_codebook",
        "--study",
        "study",
        "--format",
        "qdc",
        "--out",
        str(qdc),
        stderr=StringIO(),
    )
    assert qdc.read_bytes().startswith(b"<?xml")
