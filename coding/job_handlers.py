"""Job handlers of the coding app (exports, agreement reports, REFI-QDA) register here."""
