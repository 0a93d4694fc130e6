from django.apps import AppConfig


class InformationConfig(AppConfig):
    name = "wellled.information"
    verbose_name = "Information requests"

    def ready(self) -> None:
        # An answer is a paper kind of the one paper pipeline (ADR 0043).
        from wellled.reports.papers.registry import kind_register

        from .paper_kind import ANSWER

        kind_register(ANSWER)
        # The button only queues the answer; this task produces it in the background (ADR 0052).
        from .jobs import answer_task_register
        from .tasks import produce_answer

        answer_task_register(produce_answer)
