"""Job handlers of the coding app (exports, agreement reports, REFI-QDA) register here."""

import coding.team.reports  # noqa: F401  (agreement reports)
