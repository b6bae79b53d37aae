"""Small generated studies for the code relations, crosstab and word frequency tests, and the
brute-force references the tests compare with: plain Python over the raw codings, turns and
text, sharing no code with the selectors.

Texts alternate interviewer and participant turns and hold emoji, accented letters and both
apostrophes; two coders code overlapping spans with parent and sub-codes, the lead codes a
consensus, and one interview is consensus-complete; dyads, clinicians and patients have
attributes of every type.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from coding.models import Code, Coding, Layer
from coding.services import CodingInput, codings_bulk_create
from interviews.models import AttributeDefinition, Dyad, Interview, Participant, Turn
from tests.factories import make_interview

VOCABULARY = [
    "trust",
    "hope",
    "listened",
    "café",
    "naïve",
    "don't",
    "Okafor’s",
    "doctor",
    "she",
    "he",
    "the",
    "and",
    "of",
    "a",
    "to",
    "known",
    "valued",
    "😀",
    "🙂",
    "2019",
    "care",
    "pain",
    "well-being",
    "it's",
    "we're",
    "time",
    "explained",
    "never",
    "gave",
    "up",
    "👍🏽",
    "Trust",
    "HOPE",
    "Listened",
]
CODE_KEYS = (
    "VAL", "VAL.CON", "VAL.PRES.ATT", "POW", "POW.PART", "ABI", "OUT.TRUST", "OUT.HOPE",
)  # fmt: skip


def _turn(rng: random.Random) -> str:
    return " ".join(rng.choice(VOCABULARY) for _ in range(rng.randint(4, 14)))


def _text(rng: random.Random, speaker: str) -> str:
    turns = []
    for n in range(rng.randint(5, 8)):
        who = "Interviewer" if n % 2 == 0 else speaker
        turns.append(f"{who}: {_turn(rng)}")
    return "\n\n".join(turns) + "\n"


def _spans(rng: random.Random, text: str, count: int) -> list[tuple[int, int]]:
    """Spans from a word start to a word end (some cut words, some cross turns)."""
    starts = [0] + [i + 1 for i, ch in enumerate(text) if ch in " \n"]
    spans = []
    for _ in range(count):
        a = rng.choice(starts[:-1])
        b = min(len(text), a + rng.randint(3, 60))
        if rng.random() < 0.7:  # usually end at a word's end
            space = text.find(" ", b)
            b = space if space > a else b
        spans.append((a, max(a + 1, b)))
    return spans


def generated_study(
    study: Any, users: dict[str, Any], *, seed: int = 3, dyads: int = 5
) -> dict[str, Any]:
    rng = random.Random(seed)
    for entity, key, kind, choices in (
        ("dyad", "years", "integer", []),
        ("dyad", "since", "date", []),
        ("dyad", "weekly", "boolean", []),
        ("clinician", "type", "choice", ["MD", "NP", "PA"]),
        ("patient", "age", "integer", []),
    ):
        AttributeDefinition.objects.create(
            study=study, entity=entity, key=key, label=key.title(), type=kind, choices=choices
        )
    clinicians = [
        Participant.objects.create(
            study=study, role="clinician", pseudonym=f"Dr {n}",
            attributes={"type": ["MD", "NP", "PA"][n % 3]},
        )
        for n in range(3)
    ]  # fmt: skip
    codes = {c.key: c for c in Code.objects.filter(codebook__study=study, key__in=CODE_KEYS)}
    interviews = []
    for n in range(dyads):
        label = f"G{n}"
        for perspective in ("patient", "clinician"):
            speaker = "Pat" if perspective == "patient" else "Doc"
            interviews.append(
                make_interview(
                    study=study,
                    dyad=label,
                    perspective=perspective,
                    text=_text(rng, speaker),
                    filename=f"{label}-{perspective}.txt",
                    by=users["lead"],
                )
            )
        dyad = Dyad.objects.get(study=study, label=label)
        dyad.clinician = clinicians[n % 3]
        dyad.patient = Participant.objects.create(
            study=study, role="patient", pseudonym=f"P{n}",
            attributes={} if n == dyads - 1 else {"age": 30 + 7 * n},
        )  # fmt: skip
        dyad.attributes = {"years": n % 3, "since": f"202{n % 2}-0{1 + n}-01", "weekly": n % 2 == 0}
        dyad.save()
    for interview in interviews:
        for who, layer, count in (
            ("coder", Layer.INDIVIDUAL, 9),
            ("coder2", Layer.INDIVIDUAL, 7),
            ("lead", Layer.CONSENSUS, 4),
        ):
            items = {
                (key, a, b): CodingInput(codes[key].pk, a, b)
                for a, b in _spans(rng, interview.text, count)
                for key in [rng.choice(CODE_KEYS)]
            }
            codings_bulk_create(
                interview=interview, coder=users[who], layer=layer, items=list(items.values())
            )
    complete = interviews[0]
    complete.consensus_complete = True
    complete.save(update_fields=["consensus_complete"])
    return {"study": study, "interviews": interviews}


# --- The references -------------------------------------------------------------------------


@dataclass
class Raw:
    """The raw data of a study: codings per layer rule, turns, texts, the code tree."""

    texts: dict[int, str]
    perspective: dict[int, str]
    dyad_of: dict[int, int]
    turns: dict[int, list[tuple[int, int, int, str]]]  # interview → (index, start, end, role)
    spans: dict[int, list[tuple[int, int, int]]]  # interview → (code, start, end) in the layer
    parent: dict[int, int | None]
    keys: dict[int, str]
    dyads: dict[int, dict[str, Any]] = field(default_factory=dict)

    def descendants_or_self(self, code_id: int) -> set[int]:
        found = {code_id}
        grew = True
        while grew:
            more = {c for c, p in self.parent.items() if p in found} - found
            grew = bool(more)
            found |= more
        return found

    def ancestors(self, code_id: int) -> set[int]:
        found = set()
        parent = self.parent.get(code_id)
        while parent is not None:
            found.add(parent)
            parent = self.parent.get(parent)
        return found


def raw(study: Any, layer: str, coder_id: int | None = None) -> Raw:
    """``layer``: all (every coder's own layer), consensus, coder, or best (the consensus of a
    consensus-complete interview, else every coder's own layer)."""
    interviews = list(
        Interview.objects.filter(dyad__study=study, perspective__in=["patient", "clinician"])
    )
    spans: dict[int, list[tuple[int, int, int]]] = {i.pk: [] for i in interviews}
    complete = {i.pk for i in interviews if i.consensus_complete}
    for c in Coding.objects.filter(interview__in=interviews):
        if layer == "consensus":
            keep = c.layer == Layer.CONSENSUS
        elif layer == "coder":
            keep = c.layer == Layer.INDIVIDUAL and c.coder_id == coder_id
        elif layer == "best":
            keep = (c.layer == Layer.CONSENSUS) == (c.interview_id in complete)
        else:
            keep = c.layer == Layer.INDIVIDUAL
        if keep:
            spans[c.interview_id].append((c.code_id, c.start, c.end))
    turns: dict[int, list[tuple[int, int, int, str]]] = {i.pk: [] for i in interviews}
    for t in Turn.objects.filter(interview__in=interviews).order_by("interview_id", "index"):
        turns[t.interview_id].append((t.index, t.start, t.end, t.role))
    codes = Code.objects.filter(codebook__study=study)
    dyads = {
        d.pk: {
            "dyad": d.attributes or {},
            "clinician": d.clinician.attributes if d.clinician else {},
            "patient": d.patient.attributes if d.patient else {},
        }
        for d in Dyad.objects.filter(study=study).select_related("clinician", "patient")
    }
    return Raw(
        texts={i.pk: i.text for i in interviews},
        perspective={i.pk: i.perspective for i in interviews},
        dyad_of={i.pk: i.dyad_id for i in interviews},
        turns=turns,
        spans=spans,
        parent={c.pk: c.parent_id for c in codes},
        keys={c.pk: c.key for c in codes},
        dyads=dyads,
    )


def merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The islands of a union of spans (touching spans join)."""
    out: list[list[int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return [(a, b) for a, b in out]


def passages(data: Raw, interview: int, code_id: int) -> list[tuple[int, int]]:
    family = data.descendants_or_self(code_id)
    return merged([(s, e) for c, s, e in data.spans[interview] if c in family])


def turn_at(data: Raw, interview: int, position: int, counted: str) -> int:
    """The ordinal among counted turns of the last counted turn starting at or before
    ``position`` (-1 before the first)."""
    starts = [
        start for _i, start, _e, role in data.turns[interview]
        if counted == "all" or role != "interviewer"
    ]  # fmt: skip
    found = -1
    for ordinal, start in enumerate(starts):
        if start <= position:
            found = ordinal
    return found


def reference_relations(
    data: Raw, code_ids: list[int], cooccur: str, window: int = 0, count: str = "participant"
) -> tuple[dict[int, int], dict[tuple[int, int], tuple[int, int]]]:
    """({code: passages}, {(code, other) with code < other: (n12, dyads)})."""
    n: Counter[int] = Counter()
    pairs: dict[tuple[int, int], tuple[int, set[int]]] = {}
    for interview in data.texts:
        own = {c: passages(data, interview, c) for c in code_ids}
        for c in code_ids:
            n[c] += len(own[c])
        for a in code_ids:
            for b in code_ids:
                if not a < b or a in data.ancestors(b) or b in data.ancestors(a):
                    continue
                hits = 0
                for s1, e1 in own[a]:
                    for s2, e2 in own[b]:
                        if cooccur == "overlap":
                            hit = s1 < e2 and s2 < e1
                        else:
                            counted = "all" if cooccur == "turn" else count
                            reach = 0 if cooccur == "turn" else window
                            f1 = turn_at(data, interview, s1, counted)
                            l1 = turn_at(data, interview, e1 - 1, counted)
                            f2 = turn_at(data, interview, s2, counted)
                            l2 = turn_at(data, interview, e2 - 1, counted)
                            hit = f2 <= l1 + reach and f1 <= l2 + reach
                        hits += hit
                if hits:
                    total, dyads = pairs.get((a, b), (0, set()))
                    pairs[(a, b)] = (total + hits, dyads | {data.dyad_of[interview]})
    return dict(n), {k: (v[0], len(v[1])) for k, v in pairs.items()}


def words_of(text: str, offset: int = 0) -> list[tuple[str, int, int]]:
    """Words by scanning characters: letters, with an apostrophe joining two letters."""
    found = []
    i = 0
    while i < len(text):
        if text[i].isalpha():
            j = i
            while j < len(text):
                joins = text[j] in "'’" and j + 1 < len(text) and text[j + 1].isalpha()
                if text[j].isalpha() or joins:
                    j += 1
                else:
                    break
            found.append((text[i:j].lower().replace("’", "'"), offset + i, offset + j))
            i = j
        else:
            i += 1
    return found
