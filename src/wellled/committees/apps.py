from django.apps import AppConfig


class CommitteesConfig(AppConfig):
    name = "wellled.committees"
    verbose_name = "Committees and meetings"

    def ready(self) -> None:
        from wellled.reports.papers.registry import kind_register_lazy

        # The chair's report (ADR 0062), imported when first issued so starting Django does not load ReportLab.
        kind_register_lazy(
            "chairs_rpt", "Chair's report", "wellled.committees.papers.chairs_report.CHAIRS_REPORT"
        )
