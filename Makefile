# Thin wrappers around dev.py, which needs nothing but Python 3.11+.
PYTHON ?= python3

.PHONY: run reload test lint bench ci screenshots

ADDRESS ?= 127.0.0.1:8000

run:  ## install, migrate, load the demo, serve with gunicorn on $(ADDRESS) (make run ADDRESS=127.0.0.1:8080)
	$(PYTHON) dev.py run $(ADDRESS)

reload:  ## as run, restarting when a source file changes
	$(PYTHON) dev.py run --reload $(ADDRESS)

test:  ## install test requirements and run the whole suite
	$(PYTHON) dev.py test

lint:  ## ruff, mypy and import-linter
	$(PYTHON) dev.py lint

bench:  ## benchmarks at stated sizes (set DATABASE_URL for PostgreSQL figures)
	$(PYTHON) dev.py bench

screenshots:  ## retake docs/screenshots/ (the workspace with the demo study, in Chromium)
	$(PYTHON) dev.py screenshots

ci:  ## what CI runs (needs PostgreSQL and Redis on 127.0.0.1)
	.ci/run
