"""The shipped healing-relationships codebook, and the three ways a study starts its codebook."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from coding.codebooks import healing
from coding.models import Code, Codebook, CodebookVersion
from coding.selectors import codebook_version_snapshots
from coding.services import code_create, code_update, codebook_snapshot
from healing.audit.models import AuditEvent
from interviews.models import Study
from interviews.services import study_create
from tests.factories import make_study

pytestmark = pytest.mark.django_db

SUB_CODES = {
    "VAL": {"VAL.NJ", "VAL.CON", "VAL.PRES"},
    "VAL.PRES": {"VAL.PRES.ATT", "VAL.PRES.ACC", "VAL.PRES.EMP"},
    "POW": {"POW.PART", "POW.EDU", "POW.PUSH"},
    "ABI": {"ABI.CONT", "ABI.CRISIS", "ABI.CARE", "ABI.NGU"},
}


def test_healing_codebook_has_the_ten_components_and_their_sub_codes(study: Study) -> None:
    codes = {c.key: c for c in Code.objects.filter(codebook__study=study).select_related("parent")}
    top_level = {k for k, c in codes.items() if c.parent is None and c.is_active}
    assert top_level == set(healing.COMPONENT_KEYS)
    assert {k for k in top_level if codes[k].group == "process"} == {"VAL", "POW", "ABI"}
    assert {k for k in top_level if codes[k].group == "outcome"} == {
        "OUT.TRUST",
        "OUT.HOPE",
        "OUT.KNOWN",
    }
    assert {k for k in top_level if codes[k].group == "competency"} == {
        "COMP.CONF", "COMP.EMO", "COMP.MIND", "COMP.KNOW",
    }  # fmt: skip
    for parent, children in SUB_CODES.items():
        assert {k for k, c in codes.items() if c.parent and c.parent.key == parent} == children
    assert len(codes) == 24
    assert codes["HEAL"].is_active is False


def test_every_code_has_definition_criteria_example_and_colour(study: Study) -> None:
    for code in Code.objects.filter(codebook__study=study):
        assert all([code.definition, code.inclusion, code.exclusion, code.example]), code.key
        assert code.color.startswith("#")
        assert len(code.color) == 7


def test_codebook_cites_scott_2008(study: Study) -> None:
    codebook = Codebook.objects.get(study=study)
    assert "Scott" in codebook.description
    assert "2008" in codebook.description
    assert "Ann Fam Med 2008;6(4):315-322" in healing.CITATION


def test_a_study_can_start_with_an_empty_codebook(lead: Any) -> None:
    study = study_create(slug="blank", title="Blank", created_by=lead, codebook="empty")
    assert study.codebook.codes.count() == 0
    assert study.codebook.version == 1


def test_a_study_can_copy_another_studys_codebook_with_its_hierarchy(
    study: Study, lead: Any
) -> None:
    code_create(
        codebook=study.codebook,
        key="EXTRA",
        name="Extra",
        actor=lead,
        parent=Code.objects.get(codebook__study=study, key="VAL"),
    )
    copy = study_create(
        slug="copy", title="Copy", created_by=lead, codebook="copy", copy_codebook_from=study
    )
    original = {
        (c.key, c.parent.key if c.parent else None, c.guid) for c in study.codebook.codes.all()
    }
    copied = {
        (c.key, c.parent.key if c.parent else None, c.guid) for c in copy.codebook.codes.all()
    }
    assert copied == original
    assert not set(copy.codebook.codes.values_list("pk", flat=True)) & set(
        study.codebook.codes.values_list("pk", flat=True)
    )


def test_unknown_template_is_refused_and_no_study_is_left(lead: Any) -> None:
    with pytest.raises(ValidationError, match="Unknown codebook template"):
        study_create(slug="odd", title="Odd", created_by=lead, codebook="nvivo")
    assert not Study.objects.filter(slug="odd").exists()


def test_adding_or_renaming_a_code_makes_a_new_version_with_a_snapshot(
    study: Study, lead: Any
) -> None:
    codebook = study.codebook
    assert codebook.version == 1
    added = code_create(codebook=codebook, key="NEW", name="New code", actor=lead)
    code_update(code=added, actor=lead, name="Renamed code")
    codebook.refresh_from_db()
    assert codebook.version == 3
    versions = {v.number: v for v in CodebookVersion.objects.filter(codebook=codebook)}
    assert set(versions) == {1, 2, 3}
    # The first version is whole; adding and renaming one code store only that code.
    assert versions[1].snapshot is not None
    assert [c["key"] for c in versions[2].changes] == ["NEW"]
    assert versions[3].snapshot is None
    assert [c["name"] for c in versions[3].changes] == ["Renamed code"]
    codes = codebook_version_snapshots(codebook=codebook, numbers=[1, 2, 3])
    assert "NEW" not in {c["key"] for c in codes[1]}
    assert {c["name"] for c in codes[2] if c["key"] == "NEW"} == {"New code"}
    assert {c["name"] for c in codes[3] if c["key"] == "NEW"} == {"Renamed code"}
    assert codes[3] == codebook_snapshot(codebook=codebook)


def test_duplicate_key_and_bad_colour_are_refused(study: Study, lead: Any) -> None:
    with pytest.raises(ValidationError, match="already exists"):
        code_create(codebook=study.codebook, key="VAL", name="Again", actor=lead)
    with pytest.raises(ValidationError, match="colour"):
        code_create(codebook=study.codebook, key="C1", name="C", actor=lead, color="red")
    taken = Code.objects.filter(codebook=study.codebook).first()
    assert taken is not None
    with pytest.raises(ValidationError, match="GUID"):
        code_create(codebook=study.codebook, key="C2", name="C", actor=lead, guid=taken.guid)
    assert not Code.objects.filter(codebook=study.codebook, key__in=["C1", "C2"]).exists()


def test_a_code_cannot_become_its_own_ancestor(study: Study, lead: Any) -> None:
    val = Code.objects.get(codebook__study=study, key="VAL")
    child = Code.objects.get(codebook__study=study, key="VAL.PRES.ATT")
    with pytest.raises(ValidationError, match="under itself"):
        code_update(code=val, actor=lead, parent=child)


def test_parent_from_another_codebook_is_refused(
    study: Study, other_study: Study, lead: Any
) -> None:
    foreign = Code.objects.get(codebook__study=other_study, key="VAL")
    with pytest.raises(ValidationError, match="another codebook"):
        code_create(codebook=study.codebook, key="X", name="X", actor=lead, parent=foreign)


@pytest.mark.parametrize("size", [10, 200])
def test_creating_a_code_takes_the_same_statements_at_any_codebook_size(
    lead: Any, size: int, django_assert_num_queries: Any
) -> None:
    study = make_study(lead=lead, slug=f"codebook-{size}", codebook="empty")
    codebook = study.codebook
    for i in range(size):
        code_create(codebook=codebook, key=f"K{i}", name=f"Code {i}", actor=lead)
    # SAVEPOINT, the highest order, the code, its audit event, the codebook's version (locked
    # read and update), the new version with just this code, RELEASE: 8 at any size.
    with django_assert_num_queries(8):
        code_create(codebook=codebook, key="NEW", name="New code", actor=lead)
    version = CodebookVersion.objects.get(codebook=codebook, number=codebook.version)
    assert version.snapshot is None
    assert [entry["key"] for entry in version.changes] == ["NEW"]
    assert AuditEvent.objects.filter(object_type="code", object_id=str(version.changes[0]["id"]))


def test_version_history_replays_from_old_whole_snapshots(study: Study, lead: Any) -> None:
    """Versions written before changes were stored (whole snapshots) and new ones (changes only)
    read the same, and a later whole snapshot resets the replay."""
    codebook = study.codebook
    first = code_create(codebook=codebook, key="A1", name="One", actor=lead)
    code_update(code=first, actor=lead, name="One renamed")
    CodebookVersion.objects.filter(codebook=codebook, number=codebook.version).update(
        snapshot=codebook_snapshot(codebook=codebook), changes=None
    )
    code_create(codebook=codebook, key="A2", name="Two", actor=lead)
    codes = codebook_version_snapshots(codebook=codebook, numbers=range(1, codebook.version + 1))
    assert set(codes) == set(range(1, codebook.version + 1))
    assert codes[codebook.version] == codebook_snapshot(codebook=codebook)
    assert "A1" not in {c["key"] for c in codes[1]}
    assert {c["name"] for c in codes[2] if c["key"] == "A1"} == {"One"}
