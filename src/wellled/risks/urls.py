"""Risk register and BAF URLs; every object is read through a scoped selector, so another organisation's is 404."""

from django.urls import path

from wellled.core.url_kit import named_pages, record_paths

from . import views

urlpatterns = [
    *named_pages(
        views,
        {
            "risks/": "risk_register",
            "risks/heat-map/": "risk_heat_map",
            "risks/overdue/": "risk_overdue",
            "risks/overdue/remind/": "risk_remind",
            "risks/export.xlsx": "risk_export",
            "risks/import/": "risk_import",
            "risks/settings/": "risk_settings",
        },
    ),
    *record_paths("risks/categories/", views, "category", ("create", "edit"), name="risk-category"),
    *record_paths("risks/objectives/", views, "objective", ("create", "edit"), name="risk-objective"),
    *record_paths(
        "risks/", views, "risk", ("create", "detail", "edit", "review", "status", "links", "history")
    ),
    *named_pages(
        views,
        {
            "risks/<int:pk>/baf/": "risk_baf_entry",
            "risks/<int:pk>/controls/new/": "risk_control_add",
            "risks/<int:pk>/gaps/new/": "risk_gap_add",
            "risks/controls/<int:pk>/assurances/new/": "control_assurance_add",
            "risks/controls/<int:pk>/edit/": "control_edit",
            "baf/": "baf",
            "baf/papers/": "baf_papers",
            "baf/papers/<int:pk>/": "baf_paper_detail",
            "baf/papers/<int:pk>/download.<slug:fmt>": "baf_paper_file",
            "baf/jobs/<int:pk>/": "baf_job",
        },
    ),
    path("baf/issue/", views.baf_issue_page, name="baf-issue"),
]
