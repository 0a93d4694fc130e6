"""Information request URLs."""

from django.urls import path

from . import views

urlpatterns = [
    path("information/", views.request_list, name="information-request-list"),
    path("information/new/", views.request_create, name="information-request-create"),
    path("information/<int:pk>/", views.request_detail, name="information-request-detail"),
    path("information/<int:pk>/answer/", views.request_answer, name="information-request-answer"),
    path(
        "information/<int:pk>/reuse/<int:answer_pk>/", views.request_reuse, name="information-request-reuse"
    ),
    path("information/<int:pk>/withdraw/", views.request_withdraw, name="information-request-withdraw"),
    path("information/<int:pk>/history/", views.request_history, name="information-request-history"),
    path("information/answers/<int:pk>/withdraw/", views.answer_withdraw, name="information-answer-withdraw"),
    path("information/answers/<int:pk>/<str:fmt>/", views.answer_file, name="information-answer-file"),
    path("information/shared/", views.shared_list, name="information-shared-list"),
    path("information/shared/<int:pk>/<str:fmt>/", views.shared_file, name="information-shared-file"),
]
