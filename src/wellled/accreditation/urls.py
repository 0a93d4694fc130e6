"""Ward accreditation URLs."""

from django.urls import path

from wellled.core.url_kit import named_pages, record_paths

from . import views

urlpatterns = [
    path("accreditation/", views.accreditation_overview, name="accreditation-overview"),
    path("accreditation/wards/<int:pk>/", views.ward_detail, name="ward-detail"),
    *named_pages(
        views,
        {"accreditation/wards/export.xlsx": "wards_export", "accreditation/wards/import/": "wards_import"},
    ),
    path("accreditation/visits/new/", views.audit_start, name="ward-visit-start"),
    path("accreditation/visits/<int:pk>/answers/", views.audit_edit, name="ward-visit-edit"),
    *record_paths(
        "accreditation/visits/",
        views,
        "audit",
        ("detail", "complete", "decide", "action", "history"),
        name="ward-visit",
    ),
]
