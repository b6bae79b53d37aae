"""Writing saved coding queries: create, change and delete them (audited), and record the counts
of a run.

Who saves: coders and leads (viewers read and run queries but do not save them); a saved query
is changed or deleted by its author or a lead. An archived study refuses every save, change and
delete, and keeps its last counts as they were (running stays allowed).
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework.exceptions import PermissionDenied, ValidationError

from coding.models import SavedQuery
from coding.queries.evaluate import IV, QueryResult, query_resolve
from coding.queries.grammar import parse_query, query_json
from healing.audit.services import audit_record, snapshot
from interviews.models import Study
from interviews.selectors import Access

SAVED_QUERY_FIELDS = ["name", "query", "layer"]
MAX_NAME = 200


def _name(name: Any) -> str:
    if not isinstance(name, str) or not name.strip():
        raise ValidationError({"name": "Give the query a name."})
    if len(name.strip()) > MAX_NAME:
        raise ValidationError({"name": f"Use at most {MAX_NAME} characters."})
    return name.strip()


def _checked_query(*, study: Study, access: Access, user: Any, query: Any, layer: str) -> Any:
    """The query in normal form, checked against the study (codes, coders, layer)."""
    node = parse_query(query)
    query_resolve(study=study, access=access, user=user, node=node, layer_name=layer)
    return query_json(node)


def _require_saver(access: Access) -> None:
    access.require_writable()
    if not access.can_code:
        raise PermissionDenied("Coders and leads save queries; viewers run them.")


def saved_query_create(
    *, study: Study, access: Access, author: Any, name: str, query: Any, layer: str = ""
) -> SavedQuery:
    _require_saver(access)
    name = _name(name)
    normal = _checked_query(study=study, access=access, user=author, query=query, layer=layer)
    try:
        with transaction.atomic():
            saved = SavedQuery.objects.create(
                study=study, name=name, query=normal, layer=layer, author=author
            )
            audit_record(
                study_id=study.pk,
                actor=author,
                action="create",
                object_type="saved_query",
                object_id=saved.pk,
                after=snapshot(saved, SAVED_QUERY_FIELDS),
                summary=f"Query “{name}” saved",
            )
    except IntegrityError:
        raise ValidationError({"name": f"The study has a query named “{name}” already."}) from None
    return saved


def _require_owner(*, saved: SavedQuery, access: Access, actor: Any) -> None:
    _require_saver(access)
    if not (access.is_lead or saved.author_id == actor.pk):
        raise PermissionDenied("Only its author or a lead changes or deletes a saved query.")


def saved_query_update(
    *,
    saved: SavedQuery,
    access: Access,
    actor: Any,
    name: str | None = None,
    query: Any = None,
    layer: str | None = None,
) -> SavedQuery:
    """Change a saved query's name, query or layer (a changed query forgets its last counts)."""
    _require_owner(saved=saved, access=access, actor=actor)
    before = snapshot(saved, SAVED_QUERY_FIELDS)
    if name is not None:
        saved.name = _name(name)
    if layer is not None:
        saved.layer = layer
    if query is not None or layer is not None:
        normal = _checked_query(
            study=saved.study,
            access=access,
            user=actor,
            query=saved.query if query is None else query,
            layer=saved.layer,
        )
        if normal != saved.query or layer is not None:
            saved.last_run = saved.last_run_by = saved.last_layer = None
            saved.last_total = saved.last_dyads = None
        saved.query = normal
    after = snapshot(saved, SAVED_QUERY_FIELDS)
    if after == before:
        return saved
    try:
        with transaction.atomic():
            saved.save()
            audit_record(
                study_id=saved.study_id,
                actor=actor,
                action="update",
                object_type="saved_query",
                object_id=saved.pk,
                before=before,
                after=after,
                summary=f"Query “{saved.name}” changed",
            )
    except IntegrityError:
        raise ValidationError(
            {"name": f"The study has a query named “{saved.name}” already."}
        ) from None
    return saved


def saved_query_delete(*, saved: SavedQuery, access: Access, actor: Any) -> None:
    _require_owner(saved=saved, access=access, actor=actor)
    with transaction.atomic():
        audit_record(
            study_id=saved.study_id,
            actor=actor,
            action="delete",
            object_type="saved_query",
            object_id=saved.pk,
            before=snapshot(saved, SAVED_QUERY_FIELDS),
            summary=f"Query “{saved.name}” deleted",
        )
        saved.delete()


def saved_query_record_run(
    *, saved: SavedQuery, access: Access, user: Any, result: QueryResult, layer: dict[str, Any]
) -> bool:
    """Keep the counts of a run on the saved query (not an audited change: a cache of a read).
    Nothing is kept in an archived study. Returns whether they were kept."""
    if access.archived:
        return False
    dyads = {result.interviews[seg[IV]].dyad_id for seg in result.segments}
    saved.last_run = timezone.now()
    saved.last_run_by = user
    saved.last_layer = layer
    saved.last_total = len(result.segments)
    saved.last_dyads = len(dyads)
    SavedQuery.objects.filter(pk=saved.pk).update(
        last_run=saved.last_run,
        last_run_by=user,
        last_layer=layer,
        last_total=saved.last_total,
        last_dyads=saved.last_dyads,
    )
    return True
