from django.apps import AppConfig


class CommitteesConfig(AppConfig):
    name = "wellled.committees"
    verbose_name = "Committees and meetings"

    def ready(self) -> None:
        """The meeting pack and the chair's report are paper kinds of the one pipeline (ADR 0043), imported when
        first issued so starting Django does not load ReportLab; the pack is built by its own task (ADR 0057)."""
        from wellled.reports.papers.registry import kind_register_lazy

        from .jobs import pack_task_register
        from .tasks import build_pack

        kind_register_lazy("pack", "Meeting pack", "wellled.committees.papers.pack.PACK_KIND")
        kind_register_lazy(
            "chairs_rpt", "Chair's report", "wellled.committees.papers.chairs_report.CHAIRS_REPORT"
        )
        pack_task_register(build_pack)
