"""Ward accreditation URLs."""

from django.urls import path

from . import views

urlpatterns = [
    path("accreditation/", views.accreditation_overview, name="accreditation-overview"),
    path("accreditation/wards/<int:pk>/", views.ward_detail, name="ward-detail"),
    path("accreditation/visits/new/", views.audit_start, name="ward-visit-start"),
    path("accreditation/visits/<int:pk>/", views.audit_detail, name="ward-visit-detail"),
    path("accreditation/visits/<int:pk>/answers/", views.audit_edit, name="ward-visit-edit"),
    path("accreditation/visits/<int:pk>/complete/", views.audit_complete, name="ward-visit-complete"),
    path("accreditation/visits/<int:pk>/history/", views.audit_history, name="ward-visit-history"),
]
