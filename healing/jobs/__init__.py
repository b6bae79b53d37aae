"""Background jobs: the Job row, its files, the kind registry and the Celery task that runs it."""
