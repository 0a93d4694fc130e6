"""Plan URLs; every object URL resolves through a scoped selector, so another organisation's object is 404."""

from django.urls import path

from wellled.core.url_kit import named_pages, record_paths

from . import views

urlpatterns = [
    *named_pages(
        views,
        {
            "": "dashboard",
            "my-actions/": "my_actions",
            "plans/import/": "plan_import_new",
            "plans/import/example.xlsx": "plan_import_example",
        },
    ),
    *record_paths("plans/", views, "plan", ("list", "create", "detail", "edit", "history", "import")),
    *named_pages(
        views,
        {
            "plans/<int:pk>/export.<slug:fmt>": "plan_export",
            "imports/<int:pk>/": "plan_import_review",
            "plans/<int:pk>/sections/new/": "section_create",
            "plans/<int:pk>/actions/new/": "action_create",
            "plans/<int:pk>/findings/new/": "finding_create",
            "plans/<int:pk>/cycles/": "cycle_list",
            "plans/<int:pk>/cycles/new/": "cycle_open",
        },
    ),
    *record_paths("sections/", views, "section", ("edit", "history")),
    *record_paths("actions/", views, "action", ("detail", "edit", "timescale", "state", "history")),
    path("actions/<int:pk>/update/", views.progress_update_record_page, name="action-update"),
    path("updates/<int:pk>/history/", views.progress_update_history, name="update-history"),
    *record_paths("findings/", views, "finding", ("detail", "edit", "history")),
    *record_paths("cycles/", views, "cycle", ("detail", "remind", "close", "history")),
]
