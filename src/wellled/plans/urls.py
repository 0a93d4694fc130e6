"""Plan URLs; every object URL resolves through a scoped selector, so another organisation's object is 404."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("my-actions/", views.my_actions, name="my-actions"),
    path("plans/", views.plan_list, name="plan-list"),
    path("plans/new/", views.plan_create, name="plan-create"),
    path("plans/import/", views.plan_import_new, name="plan-import-new"),
    path("plans/import/example.xlsx", views.plan_import_example, name="plan-import-example"),
    path("plans/<int:pk>/", views.plan_detail, name="plan-detail"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan-edit"),
    path("plans/<int:pk>/history/", views.plan_history, name="plan-history"),
    path("plans/<int:pk>/import/", views.plan_import, name="plan-import"),
    path("plans/<int:pk>/export.<slug:fmt>", views.plan_export, name="plan-export"),
    path("imports/<int:pk>/", views.plan_import_review, name="plan-import-review"),
    path("plans/<int:pk>/sections/new/", views.section_create, name="section-create"),
    path("plans/<int:pk>/actions/new/", views.action_create, name="action-create"),
    path("plans/<int:pk>/findings/new/", views.finding_create, name="finding-create"),
    path("plans/<int:pk>/cycles/", views.cycle_list, name="cycle-list"),
    path("plans/<int:pk>/cycles/new/", views.cycle_open, name="cycle-open"),
    path("sections/<int:pk>/edit/", views.section_edit, name="section-edit"),
    path("sections/<int:pk>/history/", views.section_history, name="section-history"),
    path("actions/<int:pk>/", views.action_detail, name="action-detail"),
    path("actions/<int:pk>/edit/", views.action_edit, name="action-edit"),
    path("actions/<int:pk>/update/", views.progress_update_record_page, name="action-update"),
    path("actions/<int:pk>/timescale/", views.action_timescale, name="action-timescale"),
    path("actions/<int:pk>/state/", views.action_state, name="action-state"),
    path("actions/<int:pk>/history/", views.action_history, name="action-history"),
    path("updates/<int:pk>/history/", views.progress_update_history, name="update-history"),
    path("findings/<int:pk>/", views.finding_detail, name="finding-detail"),
    path("findings/<int:pk>/edit/", views.finding_edit, name="finding-edit"),
    path("findings/<int:pk>/history/", views.finding_history, name="finding-history"),
    path("cycles/<int:pk>/", views.cycle_detail, name="cycle-detail"),
    path("cycles/<int:pk>/remind/", views.cycle_remind, name="cycle-remind"),
    path("cycles/<int:pk>/close/", views.cycle_close, name="cycle-close"),
    path("cycles/<int:pk>/history/", views.cycle_history, name="cycle-history"),
]
