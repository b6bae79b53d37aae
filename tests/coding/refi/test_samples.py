"""Every real file in ../shared/refi/samples/ imports with the counts its README gives."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from coding.exchange.refi.imports import qdc_import, qdpx_import, qdpx_inspect
from coding.exchange.refi.loading import load_project
from coding.models import Code, Codebook, Coding, Memo
from interviews.models import Interview, Study
from interviews.services import study_create

pytestmark = pytest.mark.django_db

NVIVO = "nvivo-mac-12.7_OltasSzkepticizmus_17June.qdpx"
MAXQDA = "maxqda-24.7_ICLS_Conf_Themes_ALL_just10.qdpx"
ATLAS_WIN = "atlasti-win-23.2_target-atlas-project.qdpx"
ATLAS_SPEC = "atlasti-8.4_spec-annexA2_Project.qde"
TAGUETTE = "taguette-1.4.1_codebook.qdc"

# From samples/README.md: codes, levels, text sources, selections (and what else it names).
EXPECTED = {
    NVIVO: {"codes": 152, "levels": 4, "not_codable": 1, "text_sources": 2, "selections": 297},
    MAXQDA: {"codes": 307, "levels": 2, "not_codable": 0, "text_sources": 10, "selections": 0},
    ATLAS_WIN: {"codes": 3, "levels": 2, "not_codable": 0, "text_sources": 0, "selections": 0},
    ATLAS_SPEC: {"codes": 14, "levels": 1, "not_codable": 0, "text_sources": 6, "selections": 8},
}


def _levels(study: Study) -> int:
    parents = dict(Code.objects.filter(codebook__study=study).values_list("id", "parent_id"))

    def depth(code_id: int) -> int:
        parent = parents[code_id]
        return 1 if parent is None else 1 + depth(parent)

    return max(depth(code_id) for code_id in parents)


def _import(samples: Path, name: str, user: Any, slug: str = "imported") -> tuple[Study, Any]:
    report = qdpx_import(
        data=(samples / name).read_bytes(),
        filename=name,
        user=user,
        new_study={"slug": slug, "title": name},
        mapping=None,
    )
    return Study.objects.get(slug=slug), report.as_dict()


@pytest.mark.parametrize("name", list(EXPECTED))
def test_each_project_sample_reads_and_imports_with_the_readme_counts(
    samples: Path, lead: Any, name: str
) -> None:
    expected = EXPECTED[name]
    plan = qdpx_inspect(
        data=(samples / name).read_bytes(),
        filename=name,
        user=lead,
        new_study={"slug": "imported", "title": name},
    )
    for key, value in expected.items():
        assert plan["counts"][key] == value, key
    study, report = _import(samples, name, lead)
    assert Code.objects.filter(codebook__study=study).count() == expected["codes"]
    assert _levels(study) == expected["levels"]
    assert (
        Code.objects.filter(codebook__study=study, is_active=False).count()
        == expected["not_codable"]
    )
    assert report["imported"]["codes"] == expected["codes"]
    assert report["origin"] == plan["origin"]


def test_nvivo_selections_land_on_whole_words_after_the_utf16_conversion(
    samples: Path, lead: Any
) -> None:
    study, report = _import(samples, NVIVO, lead)
    assert Interview.objects.filter(dyad__study=study).count() == 2
    codings = list(Coding.objects.filter(interview__dyad__study=study).select_related("interview"))
    assert len(codings) == 297
    assert report["imported"]["codings"] == 297
    assert report["skipped_total"] == 0

    def on_word(coding: Coding) -> bool:
        text = coding.interview.text
        starts = coding.start == 0 or not text[coding.start - 1].isalnum()
        ends = coding.end == len(text) or not text[coding.end].isalnum()
        return starts and ends and coding.quote == text[coding.start : coding.end]

    assert sum(on_word(coding) for coding in codings) >= 290
    # Read as code points (no conversion) the same positions drift into the middle of words.
    loaded = load_project((samples / NVIVO).read_bytes(), name=NVIVO)
    source = next(item for item in loaded.texts if item.source.selections)
    text = source.text
    naive = sum(
        1
        for selection in source.source.selections
        if selection.start is not None
        and (selection.start == 0 or not text[selection.start - 1].isalnum())
    )
    assert naive < 100
    assert report["converted_counts"]["positions"] >= 1
    # The coder's codings went to one placeholder account that cannot log in.
    coder = codings[0].coder
    assert not coder.is_active
    assert not coder.has_usable_password()
    assert {coding.coder_id for coding in codings} == {coder.pk}


def test_maxqda_keeps_uppercase_guids_colours_and_descriptions(samples: Path, lead: Any) -> None:
    study, report = _import(samples, MAXQDA, lead)
    loaded = load_project((samples / MAXQDA).read_bytes(), name=MAXQDA)
    first = loaded.project.codes[0]
    code = Code.objects.get(codebook__study=study, guid=first.guid)
    assert code.name == "Additional Themes and Ideas"
    assert code.color == first.color.upper()
    assert code.definition.startswith("This category encompasses")
    assert not Code.objects.filter(codebook__study=study, definition="").exists()
    assert Interview.objects.filter(dyad__study=study).count() == 10
    assert report["imported"]["interviews"] == 10
    assert report["skipped_counts"]["set"] == 2
    # Source GUIDs are kept as interview GUIDs.
    assert Interview.objects.filter(
        dyad__study=study, guid=loaded.project.text_sources[0].guid
    ).exists()


def test_atlas_without_colours_gets_palette_colours(samples: Path, lead: Any) -> None:
    study, report = _import(samples, ATLAS_WIN, lead)
    colours = set(Code.objects.filter(codebook__study=study).values_list("color", flat=True))
    assert len(colours) == 3
    assert report["converted_counts"]["colour given"] == 3
    child = Code.objects.get(codebook__study=study, name="2022-05-10T02:05:59Z 19e4dce")
    assert child.parent is not None
    assert child.parent.name == "Commits"


def test_atlas_spec_example_without_files_reports_what_it_could_not_import(
    samples: Path, lead: Any
) -> None:
    study, report = _import(samples, ATLAS_SPEC, lead)
    assert not Interview.objects.filter(dyad__study=study).exists()
    skipped = report["skipped_counts"]
    assert skipped["source"] == 11  # 6 text sources, 2 PDF texts, 3 transcripts: no files
    assert skipped["non-text source"] == 6  # picture, 2 PDFs, audio, 2 videos
    assert skipped["set"] == 16
    assert skipped["graph"] == 1
    assert all(
        "not included" in item["reason"] for item in report["skipped"] if item["kind"] == "source"
    )
    # The two notes are kept as memos; one was linked to a video selection.
    assert Memo.objects.filter(study=study).count() == 2
    assert Memo.objects.filter(study=study, title="Research Plan").exists()
    assert report["converted_counts"]["note"] == 1
    # "Coke::diet Coke" stays a flat code: the hierarchy is only in the name.
    assert Code.objects.get(codebook__study=study, name="Coke::diet Coke").parent is None


def test_taguette_codebook_with_an_empty_sets_wrapper_is_accepted(samples: Path, lead: Any) -> None:
    study = study_create(slug="tag", title="Taguette", created_by=lead, codebook="empty")
    report = qdc_import(
        study=study, data=(samples / TAGUETTE).read_bytes(), filename=TAGUETTE, actor=lead
    ).as_dict()
    names = set(Code.objects.filter(codebook__study=study).values_list("name", flat=True))
    assert names == {"xsd:element name", "CodeBook", "Variables"}
    assert report["imported"]["codes"] == 3
    assert report["origin"] == "Taguette 1.4.1"
    assert Codebook.objects.get(study=study).version == 2


def test_every_sample_imports_into_an_existing_study_too(
    samples: Path, study: Study, lead: Any
) -> None:
    before = Code.objects.filter(codebook__study=study).count()
    for name in EXPECTED:
        qdpx_import(data=(samples / name).read_bytes(), filename=name, user=lead, study=study)
    total = sum(expected["codes"] for expected in EXPECTED.values())
    assert Code.objects.filter(codebook__study=study).count() == before + total
