"""Job handlers of the coding app (exports, agreement reports, REFI-QDA) register here."""

import coding.exchange.refi.jobs
import coding.team.reports  # noqa: F401  (agreement reports)
