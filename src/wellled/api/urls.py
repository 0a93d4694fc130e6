"""The REST API under /api/: the endpoints, the OpenAPI schema and its documentation page."""

from django.contrib.auth.decorators import login_required
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter(trailing_slash=True)
router.register("organisations", views.OrganisationViewSet, basename="api-organisation")
router.register("plans", views.PlanViewSet, basename="api-plan")
router.register("sections", views.SectionViewSet, basename="api-section")
router.register("findings", views.FindingViewSet, basename="api-finding")
router.register("actions", views.ActionViewSet, basename="api-action")
router.register("progress-updates", views.ProgressUpdateViewSet, basename="api-progress-update")
router.register("cycles", views.CycleViewSet, basename="api-cycle")
router.register("measures", views.MeasureViewSet, basename="api-measure")
router.register("assessments", views.AssessmentViewSet, basename="api-assessment")
router.register("ratings", views.RatingViewSet, basename="api-rating")
router.register("papers", views.PaperViewSet, basename="api-paper")
# Accreditation, oversight and information requests (issue 25).
router.register("wards", views.WardViewSet, basename="api-ward")
router.register("accreditation-schemes", views.SchemeViewSet, basename="api-accreditation-scheme")
router.register("ward-audits", views.WardAuditViewSet, basename="api-ward-audit")
router.register("portfolio", views.PortfolioViewSet, basename="api-portfolio")
router.register("oversight-statuses", views.OversightStatusViewSet, basename="api-oversight-status")
router.register("exit-criteria", views.ExitCriterionViewSet, basename="api-exit-criterion")
router.register("regulatory-actions", views.RegulatoryActionViewSet, basename="api-regulatory-action")
router.register("exit-recommendations", views.ExitRecommendationViewSet, basename="api-exit-recommendation")
router.register("information-requests", views.InformationRequestViewSet, basename="api-information-request")
router.register("information-answers", views.InformationAnswerViewSet, basename="api-information-answer")
router.register("shared-answers", views.SharedAnswerViewSet, basename="api-shared-answer")
# Risks and the BAF; quality improvement
router.register("risks", views.RiskViewSet, basename="api-risk")
router.register("risk-reviews", views.RiskReviewViewSet, basename="api-risk-review")
router.register("risk-controls", views.ControlViewSet, basename="api-risk-control")
router.register("qi-projects", views.QIProjectViewSet, basename="api-qi-project")
router.register("pdsa-cycles", views.PDSACycleViewSet, basename="api-pdsa-cycle")
# Committees and meetings, read only (issue 22, ADR 0056)
router.register("committees", views.CommitteeViewSet, basename="api-committee")
router.register("meetings", views.MeetingViewSet, basename="api-meeting")
router.register("decisions", views.DecisionViewSet, basename="api-decision")
router.register("committee-actions", views.MeetingActionViewSet, basename="api-committee-action")
# Committees: chair's reports and items referred between committees (cmt-api, issue 22)
router.register("chairs-reports", views.ChairsReportViewSet, basename="api-chairs-report")
router.register("escalations", views.EscalationViewSet, basename="api-escalation")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # A page for people: someone not signed in is sent to sign in, as on every other page.
    path(
        "docs/", login_required(SpectacularSwaggerSplitView.as_view(url_name="api-schema")), name="api-docs"
    ),
    path("baf/", views.BafView.as_view(), name="api-baf"),  # risks: the BAF, one object, read only
    # Freedom to Speak Up: a quarter's return, suppressed counts only (no case endpoint, ADR 0059)
    path("speak-up/return/", views.SpeakUpReturnView.as_view(), name="api-speak-up-return"),
    *router.urls,
]
