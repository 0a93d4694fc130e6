"""Plan URLs; every object URL resolves through a scoped selector, so another organisation's object is 404."""

from django.urls import path

from wellled.core.url_kit import record_paths

from . import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("my-actions/", views.my_actions, name="my-actions"),
    path("plans/import/", views.plan_import_new, name="plan-import-new"),
    path("plans/import/example.xlsx", views.plan_import_example, name="plan-import-example"),
    *record_paths("plans/", views, "plan", ("list", "create", "detail", "edit", "history", "import")),
    path("plans/<int:pk>/export.<slug:fmt>", views.plan_export, name="plan-export"),
    path("imports/<int:pk>/", views.plan_import_review, name="plan-import-review"),
    path("plans/<int:pk>/sections/new/", views.section_create, name="section-create"),
    path("plans/<int:pk>/actions/new/", views.action_create, name="action-create"),
    path("plans/<int:pk>/findings/new/", views.finding_create, name="finding-create"),
    path("plans/<int:pk>/cycles/", views.cycle_list, name="cycle-list"),
    path("plans/<int:pk>/cycles/new/", views.cycle_open, name="cycle-open"),
    *record_paths("sections/", views, "section", ("edit", "history")),
    *record_paths("actions/", views, "action", ("detail", "edit", "timescale", "state", "history")),
    path("actions/<int:pk>/update/", views.progress_update_record_page, name="action-update"),
    path("updates/<int:pk>/history/", views.progress_update_history, name="update-history"),
    *record_paths("findings/", views, "finding", ("detail", "edit", "history")),
    *record_paths("cycles/", views, "cycle", ("detail", "remind", "close", "history")),
]
