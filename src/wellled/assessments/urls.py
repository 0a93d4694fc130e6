"""Assessment and ratings URLs; every object URL resolves through a scoped selector, so another organisation's
object is 404."""

from django.urls import path

from wellled.core.url_kit import record_paths

from . import views

# An assessment's own pages, and the pages of its review (submitted, returned or published, then compared).
ASSESSMENT_PAGES = ("list", "create", "detail", "edit", "score", "result", "history")
REVIEW_PAGES = ("submit", "return", "publish", "compare")

urlpatterns = [
    *record_paths("assessments/", views, "assessment", (*ASSESSMENT_PAGES, *REVIEW_PAGES)),
    path("assessments/<int:pk>/findings/new/", views.finding_create, name="assessment-finding-create"),
    path("assessments/statements/<int:pk>/", views.statement_detail, name="statement-detail"),
    path("assessments/statements/<int:pk>/evidence/", views.statement_evidence, name="statement-evidence"),
    path("assessments/evidence/<int:pk>/", views.evidence_download, name="evidence-download"),
    path("assessments/findings/<int:pk>/action/", views.finding_action, name="assessment-finding-action"),
    path("ratings/", views.ratings_grid, name="ratings-grid"),
    path("ratings/timeline/", views.ratings_timeline, name="ratings-timeline"),
]
