from django.apps import AppConfig


class InformationConfig(AppConfig):
    name = "wellled.information"
    verbose_name = "Information requests"

    def ready(self) -> None:
        # An answer is a paper kind of the one paper pipeline (ADR 0043).
        from wellled.reports.papers.registry import kind_register

        from .paper_kind import ANSWER

        kind_register(ANSWER)
