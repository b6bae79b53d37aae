"""Teamwork: members and assignments, blind coding, agreement reports, disagreements,
adjudication to a consensus layer, codebook changes as a team, and the audit trail's pages.

``services`` writes (each write audited), ``selectors`` reads, ``reports`` builds agreement
reports as jobs; ``views``, ``api`` and ``urls`` are the thin pages and endpoints on top.
"""
