from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "wellled.reports"
    label = "reports"
    verbose_name = "Board papers and exports"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from wellled.core.worker import worker_started

        worker_started.connect(_abandoned_jobs_fail, dispatch_uid="reports-abandoned-jobs")
        # The background job issues the integrated performance report through its own issuer (ADR 0036).
        from .models import PaperKind
        from .services import job_issuer_register

        job_issuer_register(PaperKind.IPR, _ipr_job_issue)


def _abandoned_jobs_fail(sender, **kwargs) -> None:
    """When a worker (re)starts, the jobs a dead worker left "in progress" are marked failed, to be run again."""
    from .services import paper_jobs_abandoned_fail

    paper_jobs_abandoned_fail()


def _ipr_job_issue(**kwargs):
    """Issue a performance report for a job; its renderers (ReportLab, python-docx) load only when one runs, so
    starting Django stays quick."""
    from .ipr.issue import ipr_job_issue

    return ipr_job_issue(**kwargs)
