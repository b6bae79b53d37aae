"""The load benchmark's plan and its check (``bench --only load`` itself needs PostgreSQL and
gunicorn and is run by hand: docs/performance.md). Not timed."""

from __future__ import annotations

from collections import Counter

from coding.benchmarks.load import (
    Attempt,
    PlannedCoding,
    StoredCoding,
    percentile,
    plan_codings,
    server_times_ms,
    verify,
)

INTERVIEWS = [(11, list(range(0, 400, 5))), (12, list(range(0, 300, 6)))]
CODES = [101, 102, 103]


def _plan(count: int = 6) -> list[PlannedCoding]:
    return plan_codings(coder="ana", coder_index=0, count=count, interviews=INTERVIEWS, codes=CODES)


def _stored(planned: PlannedCoding, pk: int) -> StoredCoding:
    return StoredCoding(
        pk, planned.coder, planned.interview, planned.code, planned.start, planned.end
    )


def _all_acknowledged(plan: list[PlannedCoding]) -> list[Attempt]:
    return [Attempt(p, status=201, coding_id=100 + i) for i, p in enumerate(plan)]


def test_a_plan_is_distinct_codings_on_word_boundaries_of_the_interviews() -> None:
    plan = _plan(200)
    assert len({p.key for p in plan}) == 200
    words = dict(INTERVIEWS)
    for p in plan:
        assert p.coder == "ana"
        assert p.code in CODES
        assert p.start in words[p.interview]
        assert p.start < p.end
        assert p.end + 1 in words[p.interview]  # ends before the next word
    assert {p.interview for p in plan} == {11, 12}
    other = plan_codings(coder="ben", coder_index=1, count=5, interviews=INTERVIEWS, codes=CODES)
    assert other[0].body() == {
        "interview": other[0].interview,
        "code": other[0].code,
        "start": other[0].start,
        "end": other[0].end,
        "layer": "individual",
    }


def test_every_acknowledged_coding_stored_once_with_its_event_passes() -> None:
    plan = _plan()
    attempts = _all_acknowledged(plan)
    stored = [_stored(p, 100 + i) for i, p in enumerate(plan)]
    result = verify(attempts, stored, Counter({100 + i: 1 for i in range(len(plan))}))
    assert result.ok, result.describe()
    assert (result.acknowledged, result.stored, result.unacknowledged_stored) == (6, 6, 0)


def test_an_acknowledged_coding_missing_or_different_in_the_database_is_lost() -> None:
    plan = _plan()
    attempts = _all_acknowledged(plan)
    stored = [_stored(p, 100 + i) for i, p in enumerate(plan)][1:]  # 100 never stored
    moved = stored[0]
    stored[0] = StoredCoding(moved.id, moved.coder, moved.interview, moved.code, 0, 1)
    result = verify(attempts, stored, Counter({row.id: 1 for row in stored}))
    assert not result.ok
    assert result.lost == [100, 101]
    assert result.unexpected == [101]  # the changed row matches no request


def test_a_coding_without_exactly_one_audit_event_fails() -> None:
    plan = _plan()
    stored = [_stored(p, 100 + i) for i, p in enumerate(plan)]
    events = Counter({row.id: 1 for row in stored})
    events[102] = 0
    events[104] = 2
    result = verify(_all_acknowledged(plan), stored, events)
    assert not result.ok
    assert result.without_audit == [102, 104]


def test_a_request_stored_twice_fails_and_one_stored_without_an_answer_is_counted() -> None:
    plan = _plan()
    attempts = _all_acknowledged(plan)
    attempts[5] = Attempt(plan[5], status=0, error="TimeoutError: timed out")
    stored = [_stored(p, 100 + i) for i, p in enumerate(plan)]
    stored.append(_stored(plan[2], 200))  # the same coding again
    events = Counter({row.id: 1 for row in stored})
    result = verify(attempts, stored, events)
    assert not result.ok
    assert result.stored_twice == [plan[2].key]
    assert result.unacknowledged_stored == 1  # the timed-out request's coding exists: allowed
    assert result.acknowledged == 5


def test_percentiles_are_nearest_rank() -> None:
    values = [float(v) for v in range(1, 1201)]
    assert percentile(values, 0.99) == 1188
    assert percentile(values, 0.5) == 600
    assert percentile([7.0], 0.99) == 7


def test_server_times_come_from_the_access_log_after_the_warm_up() -> None:
    log = "\n".join(
        [
            "POST /api/v1/codings/ 201 9000",
            "GET /accounts/login/ 200 3000",
            "POST /api/v1/codings/ 201 12500",
            "POST /api/v1/codings/ 400 2000",
            "POST /api/v1/codings/ 201 4000",
        ]
    )
    assert server_times_ms(log, skip=1) == [12.5, 4.0]
