"""The comparison's figures, one module per view, computed in SQL on ``coding.analysis.measures``.

Every analysis runs on a :class:`~.scope.Scope` (the layer and the dyad subset it used, which it
returns with its figures) and a fixed number of queries, whatever the number of dyads and codings:

- ``scope``: the scope and the query parameters that choose it;
- ``base.comparison_base``: the codebook, the subset's dyads with their attributes, the interview
  lengths per dyad side, and per interview × code count and covered code points (four queries);
- ``matrix``, ``prevalence``, ``subgroups``: derived from the base without further queries
  (Python works on at most dyads × codes figures, never on codings);
- ``cooccurrence``: overlapping and nearby merged passages of two sets of codes (one query), and
  the process → outcome pairs built on it;
- ``framework``: the case studies' synthesis texts (one query);
- ``view_settings``: one view's own settings, shared by the page, the downloads and the API.

Importers name the module they need; this package re-exports nothing. docs/analysis.md states
every definition for readers.
"""
