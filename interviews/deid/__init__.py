"""De-identification: the detector, its evaluation corpus, and the review of its proposals.

The detector is ``interviews.deid.detect.detect(text, context=...)``: a pure function over the
normalised text (no models, no database) returning ``Proposal``s with code-point offsets
(``interviews.deid.proposals``); ``DeidContext`` carries what the study knows (speaker labels,
pseudonyms, names list, places list). Nothing is imported here, so that the site starts without
loading the detector's word lists. The evaluation corpus and its scorer are in ``corpus`` and
``evaluate``. docs/deidentification.md describes what is found and what is not.
"""
