"""Risk register and BAF URLs; every object is read through a scoped selector, so another organisation's is 404."""

from django.urls import path

from wellled.core.url_kit import record_paths

from . import views

urlpatterns = [
    path("risks/", views.risk_register, name="risk-register"),
    path("risks/heat-map/", views.risk_heat_map, name="risk-heat-map"),
    path("risks/overdue/", views.risk_overdue, name="risk-overdue"),
    path("risks/overdue/remind/", views.risk_remind, name="risk-remind"),
    path("risks/export.xlsx", views.risk_export, name="risk-export"),
    path("risks/import/", views.risk_import, name="risk-import"),
    path("risks/settings/", views.risk_settings, name="risk-settings"),
    *record_paths("risks/categories/", views, "category", ("create", "edit"), name="risk-category"),
    *record_paths("risks/objectives/", views, "objective", ("create", "edit"), name="risk-objective"),
    *record_paths(
        "risks/", views, "risk", ("create", "detail", "edit", "review", "status", "links", "history")
    ),
    path("risks/<int:pk>/baf/", views.risk_baf_entry, name="risk-baf-entry"),
    path("risks/<int:pk>/controls/new/", views.risk_control_add, name="risk-control-add"),
    path(
        "risks/controls/<int:pk>/assurances/new/", views.control_assurance_add, name="control-assurance-add"
    ),
    path("baf/", views.baf, name="baf"),
    path("baf/issue/", views.baf_issue_page, name="baf-issue"),
    path("baf/papers/", views.baf_papers, name="baf-papers"),
    path("baf/papers/<int:pk>/", views.baf_paper_detail, name="baf-paper-detail"),
    path("baf/papers/<int:pk>/download.<slug:fmt>", views.baf_paper_file, name="baf-paper-file"),
    path("baf/jobs/<int:pk>/", views.baf_job, name="baf-job"),
]
