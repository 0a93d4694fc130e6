"""Freedom to Speak Up URLs: the guardian's pages, and the anonymous route under /speak-up/anonymous/ (public)."""

from django.urls import path

from wellled.core.url_kit import record_paths

from . import views

urlpatterns = [
    *record_paths(
        "speak-up/cases/",
        views,
        "case",
        ("list", "create", "detail", "edit", "consent", "close", "break", "erase"),
        name="ftsu-case",
    ),
    path("speak-up/cases/<int:pk>/journal/", views.case_contact, name="ftsu-case-contact"),
    path("speak-up/cases/<int:pk>/actions/", views.case_action, name="ftsu-case-action"),
    path("speak-up/return/", views.return_page, name="ftsu-return"),
    path("speak-up/return/issue/", views.return_issue, name="ftsu-return-issue"),
    path("speak-up/return/issued/<int:pk>.<slug:fmt>", views.return_issued_file, name="ftsu-return-issued"),
    path("speak-up/return.csv", views.return_csv, name="ftsu-return-csv"),
    path("speak-up/return.xlsx", views.return_xlsx, name="ftsu-return-xlsx"),
    *record_paths(
        "speak-up/board-reports/",
        views,
        "report",
        ("list", "create", "detail", "edit", "issue"),
        name="ftsu-report",
    ),
    path(
        "speak-up/board-reports/issued/<int:pk>.<slug:fmt>", views.board_issued_file, name="ftsu-board-issued"
    ),
    path("speak-up/learning/", views.learning, name="ftsu-learning"),
    path("speak-up/champion/", views.champion_contacts, name="ftsu-champion"),
    path("speak-up/anonymous/<str:ods_code>/", views.anonymous_raise, name="ftsu-anonymous-raise"),
    path("speak-up/anonymous/<str:ods_code>/case/", views.anonymous_case, name="ftsu-anonymous-case"),
]
