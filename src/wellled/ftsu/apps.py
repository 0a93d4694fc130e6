from django.apps import AppConfig


class FtsuConfig(AppConfig):
    name = "wellled.ftsu"
    verbose_name = "Freedom to Speak Up"

    def ready(self) -> None:
        """The quarterly return is a paper kind of the one pipeline (ADR 0043)."""
        from wellled.reports.papers.registry import kind_register

        from .paper_kind import RETURN_KIND

        kind_register(RETURN_KIND)
