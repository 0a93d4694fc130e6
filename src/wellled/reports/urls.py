"""Board paper URLs; the plan is read through a scoped selector, so another organisation's plan is 404."""

from django.urls import path

from wellled.core.url_kit import record_paths

from . import ipr_views, paper_views, views

urlpatterns = [
    path("plans/<int:pk>/board-paper/", views.board_paper, name="board-paper"),
    path("plans/<int:pk>/board-paper.<slug:fmt>", views.board_paper_download, name="board-paper-download"),
    # Issued (frozen) papers: issuing, the list, each paper and its files, comparing two, the issuing job.
    path("plans/<int:pk>/papers/", paper_views.paper_list, name="paper-list"),
    path("plans/<int:pk>/papers/issue/", paper_views.paper_issue, name="paper-issue"),
    path("plans/<int:pk>/papers/compare/", paper_views.paper_compare, name="paper-compare"),
    *record_paths("papers/", paper_views, "paper", ("detail", "withdraw")),
    path("papers/<int:pk>/download.<slug:fmt>", paper_views.paper_file, name="paper-file"),
    path("papers/jobs/<int:pk>/", paper_views.paper_job, name="paper-job"),
    # The integrated performance report (every measure's SPC chart with its commentary).
    path("performance-report/", ipr_views.ipr_page, name="ipr"),
    path("performance-report/report.<slug:fmt>", ipr_views.ipr_download, name="ipr-download"),
    path("measures/<int:pk>/commentary/", ipr_views.commentary_write, name="ipr-commentary"),
    # Issued (frozen) performance reports of the organisation: issuing, the list, each report and its files.
    path("performance-report/issue/", ipr_views.ipr_issue, name="ipr-issue"),
    path("performance-report/issued/", ipr_views.ipr_papers, name="ipr-papers"),
    path("performance-report/issued/<int:pk>/", ipr_views.ipr_paper, name="ipr-paper"),
    path(
        "performance-report/issued/<int:pk>/withdraw/",
        ipr_views.ipr_paper_withdraw,
        name="ipr-paper-withdraw",
    ),
    path(
        "performance-report/issued/<int:pk>/download.<slug:fmt>",
        ipr_views.ipr_paper_file,
        name="ipr-paper-file",
    ),
    path("performance-report/jobs/<int:pk>/", ipr_views.ipr_job, name="ipr-job"),
]
