"""static/js/offsets.js in Chromium, checked against Python: code points (Python str indices, the
server's offsets) against UTF-16 units (JavaScript strings and DOM ranges), on text with emoji,
emoji sequences, combining accents, CJK, right-to-left script and line breaks, and across the
elements of a transcript (turns, speaker labels, highlight segments, undrawn gaps)."""

from __future__ import annotations

import random
from typing import Any

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

ALPHABET = [
    "a", "b", "Z", " ", " ", ".", "\n", "é", "ß", "n\u0308", "q\u0303", "🙂", "👩\u200d⚕️",
    "\U0001d11e", "漢", "字", "ש", "ל", "ו", "م", "\u200b", "’", "-",
]  # fmt: skip


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def unit_of_cp(text: str) -> list[int]:
    """unit_of_cp[i]: the UTF-16 offset of code point offset i."""
    offsets = [0]
    for ch in text:
        offsets.append(offsets[-1] + (2 if ord(ch) > 0xFFFF else 1))
    return offsets


def cp_of_unit(text: str, unit: int, round_up: bool = False) -> int:
    offsets = unit_of_cp(text)
    if round_up:
        return next(i for i, u in enumerate(offsets) if u >= unit)
    return max(i for i, u in enumerate(offsets) if u <= unit)


def random_text(rng: random.Random, size: int) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(size))


@pytest.fixture
def offsets_page(page: Any) -> Any:
    page.goto("/accounts/login/")  # any page of the app: the module is imported from it
    page.evaluate(
        """async () => {
          window.offsets = await import("/static/js/offsets.js");
          window.model = await import("/static/js/workspace/model.js");
        }"""
    )
    return page


def test_string_conversions_match_python(offsets_page: Any) -> None:
    rng = random.Random(2008)
    texts = [random_text(rng, rng.randint(0, 40)) for _ in range(60)] + ["🙂" * 5, "e\u0301" * 3]
    results = offsets_page.evaluate(
        """(texts) => texts.map((text) => {
          const { cpLength, utf16ToCp, cpToUtf16, TextIndex } = window.offsets;
          const index = new TextIndex(text);
          const units = [...Array(text.length + 1).keys()];
          const cps = [...Array(cpLength(text) + 1).keys()];
          return {
            length: cpLength(text),
            indexLength: index.length,
            down: units.map((u) => utf16ToCp(text, u)),
            up: units.map((u) => utf16ToCp(text, u, "up")),
            indexDown: units.map((u) => index.toCp(u)),
            indexUp: units.map((u) => index.toCp(u, "up")),
            toUnit: cps.map((c) => cpToUtf16(text, c)),
            indexToUnit: cps.map((c) => index.toUtf16(c)),
            slices: cps.slice(0, -1).map((c) => index.slice(c, cps.length - 1)),
          };
        })""",
        texts,
    )
    for text, got in zip(texts, results, strict=True):
        units = range(utf16_len(text) + 1)
        assert got["length"] == got["indexLength"] == len(text), text
        expected_down = [cp_of_unit(text, u) for u in units]
        expected_up = [cp_of_unit(text, u, round_up=True) for u in units]
        assert got["down"] == got["indexDown"] == expected_down, text
        assert got["up"] == got["indexUp"] == expected_up, text
        assert got["toUnit"] == got["indexToUnit"] == unit_of_cp(text), text
        assert got["slices"] == [text[c:] for c in range(len(text))], text


def build_transcript(rng: random.Random) -> tuple[str, list[list[dict[str, Any]]]]:
    """A text and how a transcript draws it: turns of pieces (a label, what was said) cut into
    segments, with undrawn gaps (line breaks, the space after a label) between pieces."""
    text = ""
    turns = []
    for n in range(6):
        text += "\n\n" if n else ""
        pieces = []
        label = f"P{n}:"
        pieces.append([{"s": len(text), "text": label}])
        text += label + " "
        said = random_text(rng, rng.randint(3, 30)).strip("\n ") or "x"
        segments = []
        cut = 0
        while cut < len(said):
            size = rng.randint(1, 6)
            segments.append({"s": len(text) + cut, "text": said[cut : cut + size]})
            cut += size
        pieces.append(segments)
        text += said
        turns.append(pieces)
    return text, turns


DRAW_JS = """(turns) => {
  const root = document.createElement("div");
  root.id = "fixture";
  root.style.whiteSpace = "pre-wrap";
  for (const pieces of turns) {
    const turn = document.createElement("div");
    turn.dataset.meta = "role";
    for (const segments of pieces) {
      const piece = document.createElement("span");
      for (const segment of segments) {
        const element = document.createElement(Math.random() < 0.5 ? "mark" : "span");
        element.dataset.s = String(segment.s);
        element.textContent = segment.text;
        piece.append(element);
      }
      turn.append(piece);
    }
    root.append(turn);
  }
  document.body.append(root);
  return true;
}"""


def test_dom_points_and_ranges_match_python(offsets_page: Any) -> None:
    rng = random.Random(7)
    for _ in range(5):
        text, turns = build_transcript(rng)
        offsets_page.evaluate("() => document.getElementById('fixture')?.remove()")
        offsets_page.evaluate(DRAW_JS, turns)
        segments = [seg for pieces in turns for segs in pieces for seg in segs]
        drawn = [seg for seg in segments if seg["text"]]

        # Points inside text nodes: exact, for every unit offset of every segment.
        points = [(i, u) for i, seg in enumerate(drawn) for u in range(utf16_len(seg["text"]) + 1)]
        got = offsets_page.evaluate(
            """(points) => {
              const root = document.getElementById("fixture");
              const nodes = Array.from(root.querySelectorAll("[data-s]")).map((e) => e.firstChild);
              return points.map(([i, u]) => window.offsets.pointToOffset(root, nodes[i], u, "end"));
            }""",
            points,
        )
        for (i, u), value in zip(points, got, strict=True):
            seg = drawn[i]
            expected = seg["s"] + cp_of_unit(seg["text"], u, round_up=True)
            if u == 0 and i > 0 and drawn[i - 1]["s"] + len(drawn[i - 1]["text"]) != seg["s"]:
                # An end at the very start of a piece moves back to the end of the drawn text.
                expected = drawn[i - 1]["s"] + len(drawn[i - 1]["text"])
            assert value == expected, (text, seg, u)

        # Spans inside drawn text round-trip: code points → DOM range → code points, and the
        # range's text is the interview's text.
        spans = []
        for _ in range(40):
            a, b = sorted(rng.sample(range(len(drawn)), 2)) if len(drawn) > 1 else (0, 0)
            first, last = drawn[a], drawn[b]
            start = first["s"] + rng.randrange(len(first["text"]))
            end = last["s"] + rng.randint(1, len(last["text"]))
            if end > start:
                spans.append((start, end))
        results = offsets_page.evaluate(
            """(spans) => {
              const root = document.getElementById("fixture");
              return spans.map(([start, end]) => {
                const range = window.offsets.spanToRange(root, start, end);
                return [window.offsets.rangeToSpan(root, range), range.toString()];
              });
            }""",
            spans,
        )
        for (start, end), (span, shown) in zip(spans, results, strict=True):
            assert span == {"start": start, "end": end}, (text, start, end)
            drawn_text = "".join(
                seg["text"][max(0, start - seg["s"]) : max(0, end - seg["s"])]
                for seg in drawn
                if seg["s"] < end and seg["s"] + len(seg["text"]) > start
            )
            assert "".join(shown.split("\n")) == "".join(drawn_text.split("\n")), (start, end)
            if " " not in text[start:end] and "\n" not in text[start:end]:
                assert shown == text[start:end]


def test_points_between_elements_snap_to_the_nearest_text(offsets_page: Any) -> None:
    offsets_page.evaluate(
        DRAW_JS,
        [
            [[{"s": 0, "text": "A:"}], [{"s": 3, "text": "one "}, {"s": 7, "text": "🙂 two"}]],
            [[{"s": 16, "text": "B:"}], [{"s": 19, "text": "three"}]],
        ],
    )
    got = offsets_page.evaluate(
        """() => {
          const { pointToOffset, rangeToSpan, spanToRange } = window.offsets;
          const root = document.getElementById("fixture");
          const [first, second] = root.children;
          const range = document.createRange();
          range.setStart(first, 0);              // before turn one: its first text
          range.setEnd(second, 1);               // after B's label: the label's end
          const outside = document.createRange();
          outside.setStart(document.body, 0);    // starts before the transcript
          outside.setEnd(second.lastChild.firstChild.firstChild, 3);
          return {
            turnStart: pointToOffset(root, first, 0, "start"),
            turnEnd: pointToOffset(root, first, first.childNodes.length, "end"),
            between: pointToOffset(root, root, 1, "start"),
            betweenEnd: pointToOffset(root, root, 1, "end"),
            afterAll: pointToOffset(root, root, root.childNodes.length, "start"),
            range: rangeToSpan(root, range),
            clipped: rangeToSpan(root, outside),
            across: spanToRange(root, 10, 17).toString(),
            gap: spanToRange(root, 12, 19).toString(),
            emoji: spanToRange(root, 7, 8).toString(),
          };
        }"""
    )
    assert got == {
        "turnStart": 0,
        "turnEnd": 12,  # "🙂 two" is [7, 12): five code points, six UTF-16 units
        "between": 16,
        "betweenEnd": 12,
        "afterAll": None,
        "range": {"start": 0, "end": 18},
        "clipped": {"start": 0, "end": 22},
        "across": "woB",  # from one turn into the next (a Range joins the text nodes)
        "gap": "B:",  # [12, 19) starts in an undrawn gap: it starts at the next drawn text
        "emoji": "🙂",
    }


def test_snapping_to_whole_words(offsets_page: Any) -> None:
    text = "Café talk, really 🙂. We don't know n\u0308ame's well-being"
    cases = {
        "af": "Café",  # inside a word: the whole word
        "é ta": "Café talk",
        " talk, ": "talk,",  # spaces at the ends go, punctuation stays
        "🙂": "🙂",  # not a word: as selected
        "on'": "don't",
        "\u0308am": "n\u0308ame's",
        "l-be": "well-being",
    }
    spans = []
    for fragment in cases:
        start = text.index(fragment)
        spans.append([start, start + len(fragment)])
    got = offsets_page.evaluate(
        """([text, spans]) => {
          const index = new window.offsets.TextIndex(text);
          return spans.map(([start, end]) => {
            const snapped = window.model.snapToWords(index, { start, end });
            return index.slice(snapped.start, snapped.end);
          });
        }""",
        [text, spans],
    )
    assert got == list(cases.values())
