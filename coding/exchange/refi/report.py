"""The import report: what was imported, what was converted on the way, what was skipped and why.

It is stored with the job (``Job.result["report"]``, and as a JSON file among the job's outputs)
and shown on the job's page. Long lists are capped; the counts per reason are always complete.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

MAX_ITEMS = 500
ORDER = (
    "codes",
    "codes matched",
    "codes updated",
    "attributes",
    "dyads",
    "interviews",
    "codings",
    "consensus codings",
    "memos",
    "placeholder accounts",
)


@dataclass
class ImportReport:
    file: str
    origin: str = ""
    namespace: str = ""
    study: str = ""
    imported: Counter[str] = field(default_factory=Counter)
    converted: list[dict[str, str]] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)
    converted_counts: Counter[str] = field(default_factory=Counter)
    skipped_counts: Counter[str] = field(default_factory=Counter)

    def count(self, what: str, number: int = 1) -> None:
        self.imported[what] += number

    def convert(self, kind: str, what: str, detail: str) -> None:
        """Something imported in another form than the file had (``kind`` groups them)."""
        self.converted_counts[kind] += 1
        if len(self.converted) < MAX_ITEMS:
            self.converted.append({"kind": kind, "what": what, "detail": detail})

    def skip(self, kind: str, what: str, reason: str) -> None:
        """Something not imported; ``kind`` groups them (e.g. "selection outside its text")."""
        self.skipped_counts[kind] += 1
        if len(self.skipped) < MAX_ITEMS:
            self.skipped.append({"kind": kind, "what": what, "reason": reason})

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "origin": self.origin,
            "namespace": self.namespace,
            "study": self.study,
            "imported": {
                what: self.imported[what]
                for what in sorted(
                    self.imported, key=lambda w: ORDER.index(w) if w in ORDER else len(ORDER)
                )
            },
            "converted": self.converted,
            "converted_counts": dict(self.converted_counts),
            "converted_total": sum(self.converted_counts.values()),
            "skipped": self.skipped,
            "skipped_counts": dict(self.skipped_counts),
            "skipped_total": sum(self.skipped_counts.values()),
            "capped": len(self.converted) < sum(self.converted_counts.values())
            or len(self.skipped) < sum(self.skipped_counts.values()),
        }
