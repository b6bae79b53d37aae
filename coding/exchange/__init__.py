"""Exchange of coded data with other tools: exports and imports.

Each module in this package registers its formats with ``coding.exchange.registry`` when it is
imported; ``formats()`` imports them all, so adding a format means adding a module here.
"""
