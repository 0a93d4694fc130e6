"""Information request URLs."""

from django.urls import path

from wellled.core.url_kit import record_paths

from . import views

urlpatterns = [
    *record_paths(
        "information/",
        views,
        "request",
        ("list", "create", "detail", "edit", "answer", "withdraw", "history"),
        name="information-request",
    ),
    path(
        "information/<int:pk>/reuse/<int:answer_pk>/", views.request_reuse, name="information-request-reuse"
    ),
    path(
        "information/<int:pk>/answer/progress/",
        views.request_answer_progress,
        name="information-request-answer-progress",
    ),
    path("information/answers/<int:pk>/withdraw/", views.answer_withdraw, name="information-answer-withdraw"),
    path("information/answers/<int:pk>/<str:fmt>/", views.answer_file, name="information-answer-file"),
    path("information/shared/", views.shared_list, name="information-shared-list"),
    path("information/shared/<int:pk>/<str:fmt>/", views.shared_file, name="information-shared-file"),
]
