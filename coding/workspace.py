"""The coding workspace's one-request payload: text, turns, and the codings of one layer."""

from __future__ import annotations

from typing import Any

from coding.selectors import (
    LayerChoice,
    codebook_rows,
    coders_of_interview,
    coding_rows,
    codings_in_layer,
    interview_memo_rows,
    latest_event_id,
)
from interviews.models import DeidStatus, Interview, Turn
from interviews.selectors import Access


def writable_layer(*, layer: LayerChoice, access: Access, user: Any) -> str | None:
    """The layer new codings go to from this view, or None where the view is read-only (every
    view of an archived study is)."""
    if access.archived:
        return None
    if layer.name == "mine" and access.can_code:
        return "individual"
    if layer.name == "coder" and layer.coder_id == user.pk and access.can_code:
        return "individual"
    # "All coders" shows the coder's own layer among the others: new codings go to their own.
    if layer.name == "all" and access.can_code:
        return "individual"
    if layer.name == "consensus" and access.can_adjudicate:
        return "consensus"
    return None


def workspace_payload(
    *, interview: Interview, access: Access, layer: LayerChoice, user: Any
) -> dict[str, Any]:
    """Six queries after the interview itself, whatever the number of turns and codings: turns,
    coders, codings, cursor, codebook and the interview's memos."""
    study = interview.dyad.study
    turns = list(
        Turn.objects.filter(interview=interview)
        .order_by("index")
        .values_list("index", "speaker", "role", "start", "end", "timestamp_ms")
    )
    coders = coders_of_interview(interview=interview)
    # While the study codes only de-identified interviews, this one is read-only until its
    # review is complete (the services refuse such codings: coding.services.AWAITS_DEID).
    awaits_deid = study.deid_required and interview.deid_status != DeidStatus.COMPLETE
    if not access.sees_other_coders:
        coders = [c for c in coders if c["id"] == user.pk or c["layer"] == "consensus"]
    return {
        "interview": {
            "id": interview.pk,
            "title": str(interview),
            "perspective": interview.perspective,
            "dyad": {"id": interview.dyad_id, "label": interview.dyad.label},
            "study": {"slug": study.slug, "title": study.title, "blind_coding": study.blind_coding},
            "word_count": interview.word_count,
            "length": len(interview.text),
            "consensus_complete": interview.consensus_complete,
        },
        "text": interview.text,
        "turns": [list(turn) for turn in turns],
        "layer": layer.as_dict(),
        "codings": coding_rows(codings_in_layer(interview=interview, layer=layer)),
        "coders": coders,
        "codebook": codebook_rows(study=study),
        "memos": interview_memo_rows(interview=interview, user=user),
        "cursor": latest_event_id(interview=interview),
        "permissions": {
            "role": access.role,
            "writes_to": None
            if awaits_deid
            else writable_layer(layer=layer, access=access, user=user),
            "can_adjudicate": access.can_adjudicate,
            "sees_other_coders": access.sees_other_coders,
            # An archived study is read-only for everyone: the page treats it as for a viewer.
            "read_only": not access.can_write,
            "archived": access.archived,
            "awaits_deid": awaits_deid,
        },
    }
