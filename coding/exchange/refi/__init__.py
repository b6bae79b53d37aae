"""REFI-QDA exchange: ``.qdpx`` projects and ``.qdc`` codebooks, in both directions.

- ``export``: a study as ``.qdpx`` and its codebook as ``.qdc`` (registered as the ``qdpx``
  study format and the ``qdc`` codebook format of ``coding.exchange.registry``);
- ``imports``: inspect a ``.qdpx`` (what it holds, a proposed mapping), import it into a new or
  an existing study, and import a ``.qdc`` into a study's codebook, each with a report;
- ``archive``, ``safexml``, ``parse``, ``offsets``: reading other tools' files safely and
  leniently; ``validate``: schema and reference checks (used by the tests);
- ``jobs``, ``api``, ``views``: the background jobs, REST endpoints and pages.

docs/refi-qda.md describes the mapping between the two models, the layer representation, the
offset conversions and the limits.
"""
