"""Board paper URLs; the plan is read through a scoped selector, so another organisation's plan is 404."""

from django.urls import path

from wellled.core.url_kit import named_pages, record_paths

from . import draft_views, ipr_views, paper_views, views

urlpatterns = [
    *named_pages(
        views,
        {
            "plans/<int:pk>/board-paper/": "board_paper",
            "plans/<int:pk>/board-paper.<slug:fmt>": "board_paper_download",
        },
    ),
    # Issued (frozen) papers: issuing, the list, each paper and its files, comparing two, the issuing job.
    *named_pages(
        paper_views,
        {
            "plans/<int:pk>/papers/": "paper_list",
            "plans/<int:pk>/papers/issue/": "paper_issue",
            "plans/<int:pk>/papers/compare/": "paper_compare",
            "papers/<int:pk>/download.<slug:fmt>": "paper_file",
            "papers/jobs/<int:pk>/": "paper_job",
        },
    ),
    # A draft of any paper kind, in one of its formats, marked "Draft" on every page and never stored.
    *named_pages(draft_views, {"papers/draft/<slug:kind>.<slug:fmt>": "paper_draft"}),
    *record_paths("papers/", paper_views, "paper", ("detail", "withdraw")),
    # The integrated performance report (every measure's SPC chart with its commentary).
    path("performance-report/", ipr_views.ipr_page, name="ipr"),
    path("measures/<int:pk>/commentary/", ipr_views.commentary_write, name="ipr-commentary"),
    *named_pages(
        ipr_views,
        {
            "performance-report/report.<slug:fmt>": "ipr_download",
            # Issued (frozen) performance reports of the organisation: issuing, the list, each report and its files.
            "performance-report/issue/": "ipr_issue",
            "performance-report/issued/": "ipr_papers",
            "performance-report/issued/<int:pk>/": "ipr_paper",
            "performance-report/issued/<int:pk>/withdraw/": "ipr_paper_withdraw",
            "performance-report/issued/<int:pk>/download.<slug:fmt>": "ipr_paper_file",
            "performance-report/jobs/<int:pk>/": "ipr_job",
        },
    ),
]
