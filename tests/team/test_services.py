"""Teamwork services: audit records with before and after, reveal, adjudication decisions,
codebook merges and splits, deleting with a record, and the default analysis layer."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.admin.sites import site
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from coding.models import Adjudication, Assignment, Code, CodebookVersion, Coding, Layer, Memo
from coding.selectors import (
    LayerChoice,
    codebook_version_snapshots,
    codings_in_layer,
    default_layer_for,
)
from coding.services import (
    CodingInput,
    coding_create,
    coding_delete,
    coding_update,
    codings_bulk_create,
    memo_create,
)
from coding.team import services
from coding.team.selectors import interview_disagreements, snapshot_diff
from healing.audit.models import AuditEvent
from interviews.models import Interview, Membership, Study
from interviews.selectors import Access
from interviews.services import invitation_accept
from tests.factories import code, make_interview
from tests.team.conftest import span

pytestmark = pytest.mark.django_db


# --- The audit trail ----------------------------------------------------------------------------


def test_the_audit_trail_records_a_codings_edit_and_delete_with_before_and_after(
    study: Study, interview: Interview, coder: Any
) -> None:
    start, end = span(interview, "she listened to every word")
    coding = coding_create(
        interview=interview, code=code(study, "VAL.PRES.ATT"), coder=coder, start=start, end=end
    )
    coding_update(coding=coding, actor=coder, start=start + 4, memo="only the listening")
    pk = coding.pk
    coding_delete(coding=coding, actor=coder)

    events = list(AuditEvent.objects.filter(object_type="coding", object_id=str(pk)).order_by("id"))
    assert [e.action for e in events] == ["create", "update", "delete"]
    created, edited, deleted = events
    assert created.after["quote"] == "she listened to every word"
    assert edited.before["start"] == start
    assert edited.before["quote"] == "she listened to every word"
    assert edited.before["memo"] == ""
    assert edited.after["start"] == start + 4
    assert edited.after["quote"] == "listened to every word"
    assert edited.after["memo"] == "only the listening"
    assert deleted.before["quote"] == "listened to every word"
    assert deleted.before["code"] == code(study, "VAL.PRES.ATT").pk
    assert deleted.after is None
    assert {e.actor_id for e in events} == {coder.pk}
    assert {e.interview_id for e in events} == {interview.pk}
    assert not Coding.objects.filter(pk=pk).exists()


def test_membership_changes_are_audited_with_the_adjudicator_flag(
    study: Study, lead: Any, coder: Any
) -> None:
    membership = Membership.objects.get(study=study, user=coder)
    services.membership_change(membership=membership, actor=lead, adjudicator=True)
    event = AuditEvent.objects.filter(object_type="membership").latest("id")
    assert event.before["adjudicator"] is False
    assert event.after["adjudicator"] is True
    assert "adjudicates" in event.summary
    # No change, no record.
    count = AuditEvent.objects.count()
    services.membership_change(membership=membership, actor=lead, adjudicator=True)
    assert AuditEvent.objects.count() == count


def test_blind_coding_and_reveal_are_recorded(study: Study, interview: Interview, lead: Any,
                                              coder: Any) -> None:  # fmt: skip
    with pytest.raises(ValidationError, match="nothing to reveal"):
        services.study_reveal(study=study, actor=lead)
    services.study_update(study=study, actor=lead, blind_coding=True)
    Assignment.objects.create(interview=interview, coder=coder)
    services.study_reveal(study=study, actor=lead)
    study.refresh_from_db()
    assert study.blind_coding is False
    on, revealed = AuditEvent.objects.filter(object_type="study", action="update").order_by("id")
    assert (on.before, on.after) == ({"blind_coding": False}, {"blind_coding": True})
    assert revealed.after == {"blind_coding": False, "revealed": True, "open_assignments": 1}
    assert "1 assignments not done" in revealed.summary
    with pytest.raises(ValidationError):
        services.study_update(study=study, actor=lead, slug="renamed")


def test_deleting_an_interview_leaves_a_record_of_everything_that_went_with_it(
    study: Study, coded: Interview, lead: Any, coder: Any
) -> None:
    coding = Coding.objects.filter(interview=coded).first()
    assert coding is not None
    memo_create(study=study, author=coder, body="about this coding", coding=coding)
    memo_create(study=study, author=coder, body="about the interview", interview=coded)
    Assignment.objects.create(interview=coded, coder=coder)
    counts = services.interview_delete_with_codings(interview=coded, actor=lead)
    assert counts == {"codings": 6, "memos": 2, "assignments": 1, "decisions": 0}
    assert not Interview.objects.filter(pk=coded.pk).exists()
    deleted = AuditEvent.objects.filter(action="delete")
    assert deleted.filter(object_type="coding").count() == 6
    assert deleted.filter(object_type="memo").count() == 2
    assert deleted.filter(object_type="assignment").count() == 1
    record = deleted.get(object_type="interview")
    assert record.before["dyad_label"] == "D01"
    assert record.before["text_sha256"] == coded.text_sha256
    quotes = {e.before["quote"] for e in deleted.filter(object_type="coding")}
    assert "she never gave up on me" in quotes


def test_admin_edits_and_deletes_are_audited(study: Study, coded: Interview, lead: Any) -> None:
    request = RequestFactory().post("/admin/")
    request.user = lead
    coding = Coding.objects.filter(interview=coded).first()
    assert coding is not None
    coding_admin = site._registry[Coding]
    coding.memo = "edited in the admin"
    coding_admin.save_model(request, coding, form=None, change=True)
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.before["memo"], event.after["memo"]) == (
        "update",
        "",
        "edited in the admin",
    )
    coding_admin.delete_queryset(request, Coding.objects.filter(pk=coding.pk))
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.object_id, event.before["memo"]) == (
        "delete",
        str(coding.pk),
        "edited in the admin",
    )
    interview_admin = site._registry[Interview]
    interview_admin.delete_model(request, coded)
    assert AuditEvent.objects.filter(object_type="interview", action="delete").exists()
    version = study.codebook.version
    code_admin = site._registry[Code]
    hope = code(study, "OUT.HOPE")
    hope.name = "Hope (admin)"
    code_admin.save_model(request, hope, form=None, change=True)
    study.codebook.refresh_from_db()
    assert study.codebook.version == version + 1
    assert AuditEvent.objects.filter(object_type="code", after__name="Hope (admin)").exists()


# --- Adjudication -------------------------------------------------------------------------------


def passage(study: Study, interview: Interview, key: str, words: str) -> dict[str, Any]:
    start, end = span(interview, words)
    return {"interview": interview, "code": code(study, key), "start": start, "end": end}


def consensus_quotes(interview: Interview) -> list[tuple[str, str]]:
    """The consensus, less the passage both coders coded alike (ABI.NGU), which enters it by
    itself at the first decision (tested on its own below)."""
    return list(
        Coding.objects.filter(interview=interview, layer=Layer.CONSENSUS)
        .exclude(code__key="ABI.NGU")
        .order_by("start")
        .values_list("code__key", "quote")
    )


def test_accepting_one_coder_copies_their_coding_into_the_consensus(
    study: Study, coded: Interview, lead: Any, coder: Any, coder2: Any
) -> None:
    where = passage(study, coded, "VAL.PRES.ATT", "she listened to every word")
    decision = services.adjudication_decide(
        **where, decision="accept", accepted=coder2, coder_a=coder, coder_b=coder2,
        actor=lead, note="The listening, not who.",
    )  # fmt: skip
    assert consensus_quotes(coded) == [("VAL.PRES.ATT", "listened to every word")]
    consensus = Coding.objects.get(layer=Layer.CONSENSUS, code__key="VAL.PRES.ATT")
    assert consensus.memo == "The listening, not who."
    assert consensus.coder == lead
    assert decision.result == [[consensus.pk, consensus.code_id, consensus.start, consensus.end]]
    assert len(decision.source["a"]) == 1
    assert len(decision.source["b"]) == 1
    event = AuditEvent.objects.get(object_type="adjudication", after__decision="accept")
    assert event.after["note"] == "The listening, not who."
    assert event.after["decision"] == "accept"
    assert event.actor == lead


def test_accepting_the_coder_who_did_not_code_leaves_no_consensus_coding(
    study: Study, coded: Interview, lead: Any, coder: Any, coder2: Any
) -> None:
    where = passage(study, coded, "POW.EDU", "She explained the diabetes with a drawing")
    services.adjudication_decide(
        **where, decision="accept", accepted=coder2, coder_a=coder, coder_b=coder2, actor=lead
    )
    assert consensus_quotes(coded) == []
    rows = interview_disagreements(
        interview=coded, coder_a=coder.pk, coder_b=coder2.pk,
        codes={c.pk: c for c in Code.objects.filter(codebook__study=study)},
    )  # fmt: skip
    settled = [r for r in rows if r.settled and not r.agreed]
    assert [r.code.key for r in settled] == ["POW.EDU"]
    # The passage both coded alike entered the consensus with that first decision.
    assert [r.code.key for r in rows if r.agreed and r.settled] == ["ABI.NGU"]


def test_merging_takes_the_union_and_deciding_again_replaces(
    study: Study, coded: Interview, lead: Any, coder: Any, coder2: Any
) -> None:
    where = passage(study, coded, "VAL.PRES.ATT", "she listened to every word")
    services.adjudication_decide(
        **where, decision="merge", coder_a=coder, coder_b=coder2, actor=lead
    )
    assert consensus_quotes(coded) == [("VAL.PRES.ATT", "she listened to every word")]
    # Decide again: accept coder2's narrower span; the merged coding is replaced.
    services.adjudication_decide(
        **where, decision="accept", accepted=coder2, coder_a=coder, coder_b=coder2, actor=lead
    )
    assert consensus_quotes(coded) == [("VAL.PRES.ATT", "listened to every word")]
    assert AuditEvent.objects.filter(object_type="coding", action="delete").count() == 1
    # Two decisions on the passage, plus the one "agreed" decision on ABI.NGU.
    assert Adjudication.objects.exclude(decision="agreed").count() == 2
    assert Adjudication.objects.filter(decision="agreed").count() == 1


def test_a_new_coding_can_use_another_code(
    study: Study, coded: Interview, lead: Any, coder: Any, coder2: Any
) -> None:
    where = passage(study, coded, "OUT.TRUST", "We met at the clinic in 2009")
    start, end = span(coded, "the clinic")
    services.adjudication_decide(
        **where, decision="new", spans=[(start, end)], new_code=code(study, "ABI.CONT"),
        coder_a=coder, coder_b=coder2, actor=lead,
    )  # fmt: skip
    assert consensus_quotes(coded) == [("ABI.CONT", "the clinic")]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"end": 10**6}, "not a span"),
        ({"decision": "veto"}, "accept, merge or new"),
        ({"decision": "accept", "accepted": None}, "one of the two coders"),
        ({"decision": "new", "spans": [(5, 2)]}, "not a span"),
        ({"decision": "new", "spans": []}, "Give the span"),
        ({"same_coders": True}, "two different coders"),
        ({"stranger": True}, "two coders of this study"),
        ({"note": "x" * 10_001}, "under 10,000"),
        ({"other_study_code": True}, "another study"),
    ],
)
def test_bad_decisions_change_nothing(
    study: Study, coded: Interview, lead: Any, coder: Any, coder2: Any,
    change: dict[str, Any], message: str,
) -> None:  # fmt: skip
    arguments: dict[str, Any] = {
        **passage(study, coded, "POW.EDU", "She explained the diabetes with a drawing"),
        "decision": "merge",
        "coder_a": coder,
        "coder_b": coder2,
        "actor": lead,
    }
    if change.pop("same_coders", False):
        arguments["coder_b"] = coder
    if change.pop("stranger", False):
        arguments["coder_b"] = type(coder).objects.get(username="outsider")
    if change.pop("other_study_code", False):
        arguments["code"] = code(Study.objects.get(slug="other-study"), "VAL")
    arguments.update(change)
    with pytest.raises(ValidationError, match=message):
        services.adjudication_decide(**arguments)
    assert consensus_quotes(coded) == []
    assert not Adjudication.objects.exists()
    assert not AuditEvent.objects.filter(object_type="adjudication").exists()


def test_consensus_complete_is_audited(coded: Interview, lead: Any) -> None:
    services.interview_set_consensus_complete(
        interview=coded, complete=True, actor=lead, confirm_open=True, reason="Good enough."
    )
    coded.refresh_from_db()
    assert coded.consensus_complete
    event = AuditEvent.objects.get(object_type="interview", action="update")
    assert (event.before, event.after) == (
        {"consensus_complete": False},
        {"consensus_complete": True, "open_disagreements": 3, "reason": "Good enough."},
    )
    services.interview_set_consensus_complete(interview=coded, complete=False, actor=lead)
    coded.refresh_from_db()
    assert not coded.consensus_complete


def test_agreed_passages_enter_the_consensus_when_marked_complete(
    study: Study, coded: Interview, lead: Any, coder: Any, coder2: Any
) -> None:
    # Both coders coded ABI.NGU on exactly the same characters: no disagreement, and before
    # this issue it never reached the consensus.
    with pytest.raises(ValidationError, match="3 disagreements are still open"):
        services.interview_set_consensus_complete(interview=coded, complete=True, actor=lead)
    coded.refresh_from_db()
    assert not coded.consensus_complete
    assert not Coding.objects.filter(layer=Layer.CONSENSUS).exists()  # all or nothing
    assert services.open_disagreement_count(interview=coded) == 3
    with pytest.raises(ValidationError, match="confirm"):  # a reason is needed too
        services.interview_set_consensus_complete(
            interview=coded, complete=True, actor=lead, confirm_open=True
        )
    services.interview_set_consensus_complete(
        interview=coded, complete=True, actor=lead, confirm_open=True, reason="Agreed in meeting."
    )
    agreed = Coding.objects.get(layer=Layer.CONSENSUS)
    assert (agreed.code.key, agreed.quote) == ("ABI.NGU", "she never gave up on me")
    decision = Adjudication.objects.get()
    assert decision.decision == "agreed"
    assert decision.result == [[agreed.pk, agreed.code_id, agreed.start, agreed.end]]
    assert sorted(decision.source["coders"]) == sorted([coder.pk, coder2.pk])
    event = AuditEvent.objects.get(object_type="adjudication")
    assert event.summary.endswith("agreed by the coders")
    # The best layer now reads this interview's consensus, so analyses see the agreed passage.
    assert list(
        codings_in_layer(interview=coded, layer=LayerChoice("best")).values_list(
            "code__key", flat=True
        )
    ) == ["ABI.NGU"]


def test_taking_agreed_passages_is_idempotent_and_respects_decisions(
    study: Study, coded: Interview, lead: Any, coder: Any, coder2: Any
) -> None:
    assert len(services.consensus_take_agreed(interview=coded, actor=lead)) == 1
    assert services.consensus_take_agreed(interview=coded, actor=lead) == []
    # The lead changes the agreed passage like any decision: a new, narrower coding.
    where = passage(study, coded, "ABI.NGU", "she never gave up on me")
    start, end = span(coded, "never gave up")
    services.adjudication_decide(
        **where, decision="new", spans=[(start, end)], coder_a=coder, coder_b=coder2, actor=lead
    )
    assert list(Coding.objects.filter(layer=Layer.CONSENSUS).values_list("quote", flat=True)) == [
        "never gave up"
    ]
    # Taking the agreed passages again does not undo the lead's decision.
    assert services.consensus_take_agreed(interview=coded, actor=lead) == []
    assert Coding.objects.filter(layer=Layer.CONSENSUS).count() == 1


def test_default_layer_is_best_and_best_follows_completeness(
    study: Study, coded: Interview, lead: Any, coder: Any, coder2: Any
) -> None:
    lead_access = Access(role="lead")
    assert default_layer_for(access=lead_access, user=lead) == LayerChoice("best")
    blinded = Access(role="coder", blind=True)
    assert default_layer_for(access=blinded, user=coder) == LayerChoice("best", coder.pk)
    services.adjudication_decide(
        **passage(study, coded, "POW.EDU", "She explained the diabetes with a drawing"),
        decision="merge", coder_a=coder, coder_b=coder2, actor=lead,
    )  # fmt: skip
    individual = Coding.objects.filter(interview=coded, layer=Layer.INDIVIDUAL).count()
    best = codings_in_layer(interview=coded, layer=LayerChoice("best"))
    # Not complete: the union of the coders, not the partial consensus.
    assert best.count() == individual
    assert set(best.values_list("layer", flat=True)) == {Layer.INDIVIDUAL}
    own = codings_in_layer(interview=coded, layer=LayerChoice("best", coder.pk))
    assert set(own.values_list("coder_id", flat=True)) == {coder.pk}
    Interview.objects.filter(pk=coded.pk).update(consensus_complete=True)
    best = codings_in_layer(interview=coded, layer=LayerChoice("best"))
    assert set(best.values_list("layer", flat=True)) == {Layer.CONSENSUS}
    assert sorted(best.values_list("code__key", flat=True)) == ["ABI.NGU", "POW.EDU"]


# --- Codebook changes ---------------------------------------------------------------------------


def test_merging_moves_codings_memos_and_sub_codes_and_handles_duplicates(
    study: Study, coded: Interview, lead: Any, coder: Any, coder2: Any
) -> None:
    attention = code(study, "VAL.PRES.ATT")
    empathy = code(study, "VAL.PRES.EMP")
    start, end = span(coded, "she listened to every word")
    # coder has the same span as EMP already (an individual duplicate after the merge), and
    # the consensus has both codes on the same span (a consensus duplicate).
    codings_bulk_create(interview=coded, coder=coder,
                        items=[CodingInput(code_id=empathy.pk, start=start, end=end)])  # fmt: skip
    codings_bulk_create(
        interview=coded, coder=lead, layer=Layer.CONSENSUS,
        items=[CodingInput(code_id=empathy.pk, start=start, end=end),
               CodingInput(code_id=attention.pk, start=start, end=end)],
    )  # fmt: skip
    child = services.code_split(code=attention, children=[{"key": "ATT.X", "name": "X"}],
                                actor=lead)[0]  # fmt: skip
    duplicate = Coding.objects.get(code=attention, coder=coder, layer=Layer.INDIVIDUAL)
    memo_create(study=study, author=coder, body="on the duplicate", coding=duplicate)
    memo_create(study=study, author=coder, body="on the code", code=attention)
    version = attention.codebook.version

    counts = services.code_merge(source=attention, target=empathy, actor=lead)

    assert counts["moved"] == 1  # coder2's narrower span
    assert counts["duplicates"] == 2  # coder's identical span, and the consensus one
    assert counts["sub_codes"] == 1
    assert counts["memos"] == 1
    assert not Coding.objects.filter(code=attention).exists()
    assert Coding.objects.filter(code=empathy, layer=Layer.CONSENSUS).count() == 1
    assert Coding.objects.filter(code=empathy, layer=Layer.INDIVIDUAL).count() == 2
    survivor = Coding.objects.get(code=empathy, coder=coder, start=start, end=end)
    assert Memo.objects.get(body="on the duplicate").coding_id == survivor.pk
    assert Memo.objects.get(body="on the code").code_id == empathy.pk
    child.refresh_from_db()
    assert child.parent_id == empathy.pk
    attention.refresh_from_db()
    assert (attention.is_active, attention.merged_into_id) == (False, empathy.pk)
    moved = Coding.objects.get(code=empathy, coder=coder2)
    assert moved.codebook_version == counts["version"] == version + 1
    latest = CodebookVersion.objects.get(codebook=attention.codebook, number=counts["version"])
    assert latest.summary == "Merged VAL.PRES.ATT into VAL.PRES.EMP"
    codes = codebook_version_snapshots(
        codebook=attention.codebook, numbers=[version, counts["version"]]
    )
    changes = snapshot_diff(codes[version], codes[counts["version"]])["changed"]
    merged = next(c for c in changes if c["key"] == "VAL.PRES.ATT")
    assert {"field": "merged_into", "before": None, "after": "VAL.PRES.EMP"} in merged["fields"]
    assert {"field": "is_active", "before": True, "after": False} in merged["fields"]
    deletes = AuditEvent.objects.filter(object_type="coding", action="delete")
    assert deletes.count() == 2
    assert all("Duplicate of coding" in e.summary for e in deletes)
    update = AuditEvent.objects.get(object_type="coding", action="update", object_id=str(moved.pk))
    assert update.before["code"] == attention.pk
    assert update.after["code"] == empathy.pk


def test_merge_refuses_nonsense(study: Study, lead: Any, other_study: Study) -> None:
    parent = code(study, "VAL.PRES")
    with pytest.raises(ValidationError, match="sits under"):
        services.code_merge(source=parent, target=code(study, "VAL.PRES.ATT"), actor=lead)
    with pytest.raises(ValidationError, match="same codebook"):
        services.code_merge(source=parent, target=code(other_study, "VAL"), actor=lead)
    with pytest.raises(ValidationError, match="another code"):
        services.code_merge(source=parent, target=parent, actor=lead)
    assert code(study, "VAL.PRES").is_active


def test_split_then_move_codings_to_the_new_sub_codes(
    study: Study, coded: Interview, lead: Any, other_study: Study
) -> None:
    attention = code(study, "VAL.PRES.ATT")
    before = attention.codebook.version
    eyes, ears = services.code_split(
        code=attention,
        children=[{"key": "ATT.EYE", "name": "Eyes"}, {"key": "ATT.EAR", "name": "Ears",
                                                       "definition": "Listening"}],
        actor=lead,
    )  # fmt: skip
    attention.codebook.refresh_from_db()
    assert attention.codebook.version == before + 1
    assert (eyes.parent_id, ears.definition) == (attention.pk, "Listening")
    ids = list(Coding.objects.filter(code=attention).values_list("pk", flat=True))
    result = services.codings_move(study=study, coding_ids=ids, target=ears, actor=lead)
    assert result == {"moved": 2, "duplicates": 0}
    assert set(Coding.objects.filter(pk__in=ids).values_list("code__key", flat=True)) == {"ATT.EAR"}
    assert set(Coding.objects.filter(pk__in=ids).values_list("codebook_version", flat=True)) == {
        before + 1
    }
    twins = [{"key": "A", "name": "1"}, {"key": "A", "name": "2"}]
    with pytest.raises(ValidationError, match="own key"):
        services.code_split(code=attention, children=twins, actor=lead)
    with pytest.raises(ValidationError, match="already exists"):
        services.code_split(code=attention, children=[{"key": "ATT.EYE", "name": "again"}],
                            actor=lead)  # fmt: skip
    with pytest.raises(ValidationError, match="another study"):
        services.codings_move(study=study, coding_ids=ids, target=code(other_study, "VAL"),
                              actor=lead)  # fmt: skip
    foreign = make_interview(study=other_study, dyad="X")
    stranger = coding_create(interview=foreign, code=code(other_study, "VAL"),
                             coder=lead, start=0, end=5)  # fmt: skip
    with pytest.raises(ValidationError, match="not in this study"):
        services.codings_move(study=study, coding_ids=[stranger.pk], target=eyes, actor=lead)
    stranger.refresh_from_db()
    assert stranger.code.key == "VAL"


def test_snapshot_diff_names_added_removed_and_changed_fields() -> None:
    before = [
        {"id": 1, "key": "A", "name": "Alpha", "parent": None},
        {"id": 2, "key": "B", "name": "Beta", "parent": None},
    ]
    after = [
        {"id": 1, "key": "A", "name": "Alpha!", "parent": 3},
        {"id": 3, "key": "C", "name": "Gamma", "parent": None},
    ]
    diff = snapshot_diff(before, after)
    assert [c["key"] for c in diff["added"]] == ["C"]
    assert [c["key"] for c in diff["removed"]] == ["B"]
    assert diff["changed"] == [
        {
            "id": 1,
            "key": "A",
            "fields": [
                {"field": "name", "before": "Alpha", "after": "Alpha!"},
                {"field": "parent", "before": None, "after": "C"},
            ],
        }
    ]


def test_member_add_and_remove(study: Study, lead: Any, interview: Interview) -> None:
    from tests.factories import UserFactory

    nora = UserFactory(username="Nora")
    invitation = services.member_add(study=study, username="nora", role="coder", actor=lead)
    invitation_accept(invitation=invitation, user=nora)
    membership = Membership.objects.get(study=study, user=nora)
    Assignment.objects.create(interview=interview, coder=membership.user)
    services.member_remove(membership=membership, actor=lead)
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert not Assignment.objects.filter(coder=membership.user).exists()
    assert AuditEvent.objects.filter(object_type="assignment", action="delete").count() == 1
