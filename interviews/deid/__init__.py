"""De-identification: propose the identifiers in a transcript (``detect``).

Pure functions over the normalised text (no models, no database): ``detect(text, context=...)``
returns ``Proposal``s with code-point offsets. ``DeidContext`` carries what the study knows
(speaker labels, pseudonyms, names list, places list). The evaluation corpus and its scorer are
in ``corpus`` and ``evaluate``. docs/deidentification.md describes what is found and what is not.
"""

from .detect import detect
from .proposals import DeidContext, Kind, Proposal, Source

__all__ = ["DeidContext", "Kind", "Proposal", "Source", "detect"]
