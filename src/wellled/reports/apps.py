from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "wellled.reports"
    label = "reports"
    verbose_name = "Board papers and exports"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from wellled.core.worker import worker_started

        worker_started.connect(_abandoned_jobs_fail, dispatch_uid="reports-abandoned-jobs")
        # The task that runs paper jobs, and the paper kinds of this app (ADR 0043); other apps register theirs.
        from .board_kind import BOARD
        from .models import PaperKind
        from .papers.jobs import job_task_register
        from .papers.registry import kind_register, kind_register_lazy
        from .tasks import issue_paper

        job_task_register(issue_paper)
        kind_register(BOARD)
        # Its renderers load ReportLab and python-docx: imported when a report is first issued.
        kind_register_lazy(PaperKind.IPR.value, PaperKind.IPR.label, "wellled.reports.ipr.kind.IPR_KIND")


def _abandoned_jobs_fail(sender, **kwargs) -> None:
    """When a worker (re)starts, the jobs a dead worker left "in progress" are marked failed, to be run again."""
    from .papers.jobs import paper_jobs_abandoned_fail

    paper_jobs_abandoned_fail()
