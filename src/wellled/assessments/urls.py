"""Assessment and ratings URLs; every object URL resolves through a scoped selector, so another organisation's
object is 404."""

from django.urls import path

from . import views

urlpatterns = [
    path("assessments/", views.assessment_list, name="assessment-list"),
    path("assessments/new/", views.assessment_create, name="assessment-create"),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment-detail"),
    path("assessments/<int:pk>/edit/", views.assessment_edit, name="assessment-edit"),
    path("assessments/<int:pk>/score/", views.assessment_score, name="assessment-score"),
    path("assessments/<int:pk>/result/", views.assessment_result, name="assessment-result"),
    path("assessments/<int:pk>/submit/", views.assessment_submit, name="assessment-submit"),
    path("assessments/<int:pk>/return/", views.assessment_return, name="assessment-return"),
    path("assessments/<int:pk>/publish/", views.assessment_publish, name="assessment-publish"),
    path("assessments/<int:pk>/compare/", views.assessment_compare, name="assessment-compare"),
    path("assessments/<int:pk>/history/", views.assessment_history, name="assessment-history"),
    path("assessments/<int:pk>/findings/new/", views.finding_create, name="assessment-finding-create"),
    path("assessments/statements/<int:pk>/", views.statement_detail, name="statement-detail"),
    path("assessments/statements/<int:pk>/evidence/", views.statement_evidence, name="statement-evidence"),
    path("assessments/evidence/<int:pk>/", views.evidence_download, name="evidence-download"),
    path("assessments/findings/<int:pk>/action/", views.finding_action, name="assessment-finding-action"),
    path("ratings/", views.ratings_grid, name="ratings-grid"),
    path("ratings/timeline/", views.ratings_timeline, name="ratings-timeline"),
]
