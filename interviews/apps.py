from django.apps import AppConfig


class InterviewsConfig(AppConfig):
    name = "interviews"
    verbose_name = "Studies and interviews"

    def ready(self) -> None:
        # Registration, Django's way: the transcript import registers its job kind on import.
        from healing import text_functions
        from interviews import job_handlers, search_index  # noqa: F401

        text_functions.connect()
        search_index.connect(self)
