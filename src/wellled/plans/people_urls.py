"""The open actions a person leads, to hand over when they leave (linked from the person's page in core). Tried
in tests/core/test_people_views.py with the other people pages."""

from django.urls import path

from . import people_views

urlpatterns = [
    path("organisation/people/<int:pk>/actions/", people_views.person_actions, name="person-actions"),
]
