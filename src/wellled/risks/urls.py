"""Risk register and BAF URLs; every object is read through a scoped selector, so another organisation's is 404."""

from django.urls import path

from . import views

urlpatterns = [
    path("risks/", views.risk_register, name="risk-register"),
    path("risks/new/", views.risk_create, name="risk-create"),
    path("risks/heat-map/", views.risk_heat_map, name="risk-heat-map"),
    path("risks/overdue/", views.risk_overdue, name="risk-overdue"),
    path("risks/overdue/remind/", views.risk_remind, name="risk-remind"),
    path("risks/export.xlsx", views.risk_export, name="risk-export"),
    path("risks/import/", views.risk_import, name="risk-import"),
    path("risks/settings/", views.risk_settings, name="risk-settings"),
    path("risks/categories/new/", views.category_create, name="risk-category-create"),
    path("risks/categories/<int:pk>/edit/", views.category_edit, name="risk-category-edit"),
    path("risks/objectives/new/", views.objective_create, name="risk-objective-create"),
    path("risks/objectives/<int:pk>/edit/", views.objective_edit, name="risk-objective-edit"),
    path("risks/<int:pk>/", views.risk_detail, name="risk-detail"),
    path("risks/<int:pk>/edit/", views.risk_edit, name="risk-edit"),
    path("risks/<int:pk>/review/", views.risk_review, name="risk-review"),
    path("risks/<int:pk>/status/", views.risk_status, name="risk-status"),
    path("risks/<int:pk>/links/", views.risk_links, name="risk-links"),
    path("risks/<int:pk>/baf/", views.risk_baf_entry, name="risk-baf-entry"),
    path("risks/<int:pk>/controls/new/", views.risk_control_add, name="risk-control-add"),
    path("risks/<int:pk>/history/", views.risk_history, name="risk-history"),
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
