"""Oversight URLs: a trust's oversight records kept by its oversight body, and the trust's own oversight page with
its improvement board meetings."""

from django.urls import path

from wellled.core.url_kit import record_paths

from . import views

urlpatterns = [
    path("oversight/", views.oversight_home, name="oversight-home"),
    path("oversight/trusts/<int:pk>/", views.trust_oversight, name="oversight-trust"),
    path("oversight/criteria/export.xlsx", views.criteria_export, name="oversight-criteria-export"),
    path("oversight/criteria/import/", views.criteria_import, name="oversight-criteria-import"),
    path("oversight/trusts/<int:pk>/status/new/", views.status_record, name="oversight-status-record"),
    path(
        "oversight/trusts/<int:pk>/criteria/new/", views.criterion_create, name="oversight-criterion-create"
    ),
    path("oversight/trusts/<int:pk>/notes/new/", views.note_add, name="oversight-note-add"),
    path(
        "oversight/trusts/<int:pk>/regulatory/new/",
        views.regulatory_action_record,
        name="oversight-regulatory-record",
    ),
    path(
        "oversight/regulatory/<int:pk>/edit/", views.regulatory_action_edit, name="oversight-regulatory-edit"
    ),
    path("oversight/trusts/<int:pk>/exit/new/", views.exit_recommend, name="oversight-exit-recommend"),
    path("oversight/exit/<int:pk>/decide/", views.exit_decide, name="oversight-exit-decide"),
    path("oversight/criteria/<int:pk>/edit/", views.criterion_edit, name="oversight-criterion-edit"),
    path("oversight/criteria/<int:pk>/judge/", views.judgement_record, name="oversight-judgement-record"),
    path("oversight/criteria/<int:pk>/evidence/new/", views.evidence_add, name="oversight-evidence-add"),
    path("oversight/evidence/<int:pk>/remove/", views.evidence_remove, name="oversight-evidence-remove"),
    path("oversight/evidence/<int:pk>/open/", views.evidence_open, name="oversight-evidence-open"),
    *record_paths("oversight/meetings/", views, "meeting", ("create", "detail", "edit")),
    path("oversight/meetings/<int:pk>/agenda/new/", views.agenda_item_add, name="meeting-agenda-add"),
    path("oversight/meetings/<int:pk>/actions/new/", views.meeting_action_raise, name="meeting-action-raise"),
]

# The portfolio of an oversight body (oversight/portfolio_views.py) ---------------------------------------------

from . import portfolio_views  # noqa: E402 (kept with its own block, apart from the records pages above)

urlpatterns += [
    path("oversight/portfolio/", portfolio_views.portfolio_page, name="oversight-portfolio"),
    path(
        "oversight/portfolio/portfolio.<slug:fmt>",
        portfolio_views.portfolio_download,
        name="oversight-portfolio-download",
    ),
    path(
        "oversight/portfolio/trajectories/",
        portfolio_views.trajectories_page,
        name="oversight-trajectories",
    ),
]
