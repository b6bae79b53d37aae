"""Job handlers of the coding app (exports, agreement reports, REFI-QDA) register here."""

import coding.exchange.refi.jobs  # noqa: F401  (REFI-QDA import and export)
