"""The workspace's pure helpers (static/js/workspace/model.js) in Chromium: how a transcript is cut
into drawn pieces and highlight segments, the picker's filter, the codebook tree, and the
numbered recent-code slots."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import SAMPLE_TRANSCRIPT

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def model_page(page: Any) -> Any:
    page.goto("/accounts/login/")
    page.evaluate(
        """async () => {
          window.offsets = await import("/static/js/offsets.js");
          window.model = await import("/static/js/workspace/model.js");
        }"""
    )
    return page


def test_pieces_are_speaker_labels_and_what_was_said(model_page: Any) -> None:
    text = SAMPLE_TRANSCRIPT
    said = [
        "How did you first meet Dr. Lee?",
        "Café talk, really 🙂. We met at the clinic in 2009 and she listened to every word.",
        "What happened next?",
        "She explained the diabetes with a drawing, and she never gave up on me.",
    ]
    turns = []
    for index, words in enumerate(said):
        start = text.index(words)
        turns.append([index, "x", "other", start, start + len(words), None])
    pieces = model_page.evaluate(
        """([text, turns]) => {
          const index = new window.offsets.TextIndex(text);
          return window.model.buildPieces(index, turns).map(
            (p) => [p.kind, p.turn, index.slice(p.start, p.end)]);
        }""",
        [text, turns],
    )
    assert pieces == [
        ["label", 0, "Interviewer: "],
        ["said", 0, said[0]],
        ["label", 1, "Maria: "],
        ["said", 1, said[1]],
        ["label", 2, "Interviewer: "],
        ["said", 2, said[2]],
        ["label", 3, "Maria: "],
        ["said", 3, said[3]],
    ]


def test_segments_cut_at_every_coding_boundary(model_page: Any) -> None:
    segments = model_page.evaluate(
        """() => window.model.segmentPiece(
          { start: 10, end: 40 },
          [{ id: 1, code: 7, start: 0, end: 20 }, { id: 2, code: 8, start: 15, end: 30 },
           { id: 3, code: 9, start: 50, end: 60 }],
          [{ kind: "target", start: 25, end: 45 }],
        ).map((s) => [s.start, s.end, s.codings.map((c) => c.id), s.marks.map((m) => m.kind)])"""
    )
    assert segments == [
        [10, 15, [1], []],
        [15, 20, [1, 2], []],
        [20, 25, [2], []],
        [25, 30, [2], ["target"]],
        [30, 40, [], ["target"]],
    ]


def test_picker_filter_codebook_tree_and_recent_slots(model_page: Any) -> None:
    got = model_page.evaluate(
        """() => {
          const codes = [
            { id: 1, parent: null, key: "VAL", name: "Valuing", group: "process", order: 0 },
            { id: 2, parent: 1, key: "VAL.PRES", name: "Présence", group: "process", order: 1 },
            { id: 3, parent: 2, key: "VAL.PRES.ATT", name: "Full attention", group: "process",
              order: 2 },
            { id: 4, parent: null, key: "OUT.HOPE", name: "Hope", group: "outcome", order: 3 },
            { id: 5, parent: 99, key: "ODD", name: "Orphan", group: "nonsense", order: 4 },
          ];
          const m = window.model;
          const tree = m.codebookTree(codes);
          const store = new Map();
          const storage = {
            getItem: (k) => store.get(k) ?? null, setItem: (k, v) => store.set(k, v),
          };
          const slots = new m.RecentSlots(storage, "k", 3);
          slots.touch(4, 1); slots.touch(1, 2); slots.touch(3, 3);
          slots.touch(1, 4);   // already there: keeps its number
          slots.touch(2, 5);   // full: takes the least recently used slot (4's)
          const again = new m.RecentSlots(storage, "k", 3);
          return {
            filter: m.filterCodes(codes, "pres").map((c) => c.key),
            accents: m.filterCodes(codes, "presence").map((c) => c.key),
            words: m.filterCodes(codes, "full att").map((c) => c.key),
            process: tree.get("process").map(
              (n) => [n.code.key, n.children.map((c) => c.code.key)]),
            other: tree.get("other").map((n) => n.code.key),
            paths: Array.from(m.codePaths(codes).values()).map((p) => p.join(" › ")),
            slots: again.entries().map((e) => [e.number, e.codeId]),
            color: [
              m.safeColor("#12abEF"), m.safeColor("red;background:url(x)"), m.safeColor(null)],
          };
        }"""
    )
    assert got == {
        "filter": ["VAL.PRES", "VAL.PRES.ATT"],
        "accents": ["VAL.PRES"],
        "words": ["VAL.PRES.ATT"],
        "process": [["VAL", ["VAL.PRES"]]],
        "other": ["ODD"],
        "paths": ["VAL", "VAL › VAL.PRES", "VAL › VAL.PRES › VAL.PRES.ATT", "OUT.HOPE", "ODD"],
        "slots": [[1, 2], [2, 1], [3, 3]],
        "color": ["#12abEF", "#808080", "#808080"],
    }


def test_key_table_and_merging_live_changes(model_page: Any) -> None:
    got = model_page.evaluate(
        """async () => {
          const { keyAction } = await import("/static/js/workspace/keys.js");
          const { reconcile, mergeChanges } = await import("/static/js/workspace/live.js");
          const key = (k, mods = {}, ctx = {}) => {
            const action = keyAction(
              { key: k, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods },
              { focusInText: true, hasSelection: false, editing: false, canCode: true,
                canEditSelected: false, ...ctx });
            return action && [action.name, ...action.args];
          };
          const codings = new Map([
            [1, { id: 1, code: 5, coder: 7, layer: "individual", start: 0, end: 4, memo: "",
                  updated: "2026-01-01T10:00:00+00:00" }],
            [2, { id: 2, code: 5, coder: 9, layer: "individual", start: 5, end: 9, memo: "",
                  updated: "2026-01-01T10:00:00+00:00" }],
          ]);
          const result = reconcile(codings, {
            upserts: [
              { ...codings.get(1) },  // the same: nothing to do
              { ...codings.get(2), end: 12, updated: "2026-01-01T10:00:05+00:00" },  // newer
              { id: 3, code: 6, coder: 9, layer: "individual", start: 1, end: 2, memo: "",
                updated: "2026-01-01T10:00:06+00:00" },
            ],
            deleted: [1, 99],
          }, 7);
          return {
            keys: [
              key("?"), key("z", { ctrlKey: true }), key("ArrowDown"),
              key("ArrowRight", { shiftKey: true, ctrlKey: true }),
              key("ArrowLeft", { shiftKey: true, altKey: true }),
              key("End", { shiftKey: true }), key("3"), key("3", {}, { canCode: false }),
              key("c"), key("c", {}, { hasSelection: true }),
              key("c", {}, { canEditSelected: true }),
              key("Enter", {}, { hasSelection: true }), key("Enter", {}, { editing: true }),
              key("Delete"), key("Delete", {}, { canEditSelected: true }), key("t"),
              key("ArrowDown", {}, { focusInText: false }), key("x"), key("a", { ctrlKey: true }),
            ],
            ids: [...codings.keys()].sort(),
            end: codings.get(2).end,
            spans: result.spans.map((s) => [s.start, s.end]),
            removed: result.removed,
            fromOthers: result.fromOthers,
            merged: mergeChanges(mergeChanges(null, { upserts: [1], deleted: [] }),
                                 { upserts: [2], deleted: [3] }),
          };
        }"""
    )
    assert got["keys"] == [
        ["help"],
        ["undo"],
        ["moveTurn", 1],
        ["modify", "extend", "forward", "word", {"moveStart": False}],
        ["modify", "extend", "backward", "character", {"moveStart": True}],
        ["modify", "extend", "forward", "lineboundary"],
        ["applyRecent", 3],
        None,  # a viewer: the number goes to the browser
        ["needSelection"],
        ["pickForSelection"],
        ["changeCode"],
        ["pickForSelection"],
        ["saveEdit"],
        None,  # nothing of one's own selected: Delete is left alone
        ["deleteCoding"],
        ["codeTurn"],
        None,  # arrows move the page when focus is elsewhere
        None,
        None,
    ]
    assert got["ids"] == [2, 3]
    assert got["end"] == 12
    assert got["spans"] == [[5, 12], [5, 9], [1, 2], [0, 4]]
    assert got["removed"] == [1]
    assert got["fromOthers"] == 2  # 2 and 3 are another coder's; deleting 1 was the user's own
    assert got["merged"] == {"upserts": [1, 2], "deleted": [3]}


def test_a_selection_is_kept_off_speaker_labels(model_page: Any) -> None:
    text = SAMPLE_TRANSCRIPT
    turn_one = "Café talk, really 🙂. We met at the clinic in 2009 and she listened to every word."
    turn_two = "What happened next?"
    first = text.index(turn_one)
    second = text.index(turn_two)
    turns = [
        [0, "Maria", "patient", first, first + len(turn_one), None],
        [1, "Interviewer", "interviewer", second, second + len(turn_two), None],
    ]
    label = text.index("Interviewer: What")

    def clamp(start: int, end: int) -> Any:
        return model_page.evaluate(
            """([text, turns, span]) => {
              const index = new window.offsets.TextIndex(text);
              const pieces = window.model.buildPieces(index, turns);
              return window.model.clampToSaid(pieces, span);
            }""",
            [text, turns, {"start": start, "end": end}],
        )

    end_one = first + len(turn_one)
    # An end inside the next turn's label goes back to the end of this turn.
    assert clamp(first + 4, label + 5) == {"start": first + 4, "end": end_one}
    # A start inside a label goes forward to the turn's text.
    assert clamp(label + 2, second + 4) == {"start": second, "end": second + 4}
    # Nothing but a label: nothing.
    assert clamp(label, label + 8) is None
    # From one turn's words into the next turn's words: both, as selected.
    assert clamp(first, second + 4) == {"start": first, "end": second + 4}
