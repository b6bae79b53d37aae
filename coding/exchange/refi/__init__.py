"""REFI-QDA exchange: ``.qdpx`` projects and ``.qdc`` codebooks, in both directions.

- ``export``: a study as ``.qdpx`` and its codebook as ``.qdc`` (registered as the ``qdpx``
  study format and the ``qdc`` codebook format of ``coding.exchange.registry``);
- ``imports``: import a ``.qdpx`` into a new or an existing study (``plan`` proposes the
  mapping, ``codebook`` merges codes) and a ``.qdc`` into a study's codebook, with a ``report``;
- ``archive``, ``safexml``, ``parse``, ``model``, ``loading``, ``offsets``, ``codes``: reading
  other tools' files safely and leniently, and our fields in REFI-QDA's; ``validate``: schema and
  reference checks (used by the tests);
- ``services``, ``jobs``, ``api``, ``views``, ``urls``: starting the jobs, running them, the REST
  endpoints and the pages.

docs/refi-qda.md describes the mapping between the two models, the layer representation, the
offset conversions, the leniency rules and the limits.
"""
