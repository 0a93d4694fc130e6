"""Board paper URLs; the plan is read through a scoped selector, so another organisation's plan is 404."""

from django.urls import path

from . import views

urlpatterns = [
    path("plans/<int:pk>/board-paper/", views.board_paper, name="board-paper"),
    path("plans/<int:pk>/board-paper.<slug:fmt>", views.board_paper_download, name="board-paper-download"),
]
