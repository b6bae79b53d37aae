from django.apps import AppConfig


class CodingConfig(AppConfig):
    name = "coding"
    verbose_name = "Codebooks, codings and analysis"

    def ready(self) -> None:
        # Registration, Django's way: modules imported once the apps are loaded. The job handlers
        # register their kinds as they are imported; the hooks answer the interviews app's
        # questions (a new study's codebook, codings in an interview about to go).
        from coding import hooks, job_handlers  # noqa: F401
        from coding.exchange.refi import jobs  # noqa: F401
        from coding.team import reports  # noqa: F401

        hooks.register()
