from django.apps import AppConfig


class CommitteesConfig(AppConfig):
    name = "wellled.committees"
    verbose_name = "Committees and meetings"

    def ready(self) -> None:
        """The meeting pack is a paper kind of the one pipeline (ADR 0043), built by its own task (ADR 0057)."""
        from wellled.reports.papers.registry import kind_register_lazy

        from .jobs import pack_task_register
        from .tasks import build_pack

        kind_register_lazy("pack", "Meeting pack", "wellled.committees.papers.pack.PACK_KIND")
        pack_task_register(build_pack)
