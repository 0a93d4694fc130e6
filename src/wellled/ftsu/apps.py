from django.apps import AppConfig


class FtsuConfig(AppConfig):
    name = "wellled.ftsu"
    verbose_name = "Freedom to Speak Up"

    def ready(self) -> None:
        """The quarterly return is a paper kind of the one pipeline (ADR 0043); the board report too, loaded when
        first asked for (it brings ReportLab and python-docx)."""
        from wellled.reports.papers.registry import kind_register, kind_register_lazy

        from .paper_kind import RETURN_KIND

        kind_register(RETURN_KIND)
        kind_register_lazy(
            "ftsu_board", "Freedom to Speak Up board report", "wellled.ftsu.board_kind.BOARD_KIND"
        )
