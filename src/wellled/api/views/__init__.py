"""The API's endpoints: each reads through a selector in the caller's scope and writes through the same service
as the pages, checking the role (403) after finding the object in scope (404), as the pages do."""

from .accreditation import SchemeViewSet, WardAuditViewSet, WardViewSet
from .assessments import AssessmentViewSet, RatingViewSet
from .committee_reports import ChairsReportViewSet, EscalationViewSet
from .committees import CommitteeViewSet, DecisionViewSet, MeetingActionViewSet, MeetingViewSet
from .improvement import PDSACycleViewSet, QIProjectViewSet
from .information import InformationAnswerViewSet, InformationRequestViewSet, SharedAnswerViewSet
from .measures import MeasureViewSet
from .organisations import OrganisationViewSet
from .oversight import (
    ExitCriterionViewSet,
    ExitRecommendationViewSet,
    OversightStatusViewSet,
    PortfolioViewSet,
    RegulatoryActionViewSet,
)
from .papers import PaperViewSet
from .plans import (
    ActionViewSet,
    CycleViewSet,
    FindingViewSet,
    PlanViewSet,
    ProgressUpdateViewSet,
    SectionViewSet,
)
from .risks import BafView, ControlViewSet, RiskReviewViewSet, RiskViewSet
from .speak_up import SpeakUpReturnView

__all__ = [
    "ChairsReportViewSet",
    "EscalationViewSet",
    "ActionViewSet",
    "CommitteeViewSet",
    "DecisionViewSet",
    "MeetingActionViewSet",
    "MeetingViewSet",
    "ExitCriterionViewSet",
    "ExitRecommendationViewSet",
    "RegulatoryActionViewSet",
    "InformationAnswerViewSet",
    "InformationRequestViewSet",
    "OversightStatusViewSet",
    "PortfolioViewSet",
    "SchemeViewSet",
    "SharedAnswerViewSet",
    "WardAuditViewSet",
    "WardViewSet",
    "AssessmentViewSet",
    "BafView",
    "ControlViewSet",
    "CycleViewSet",
    "FindingViewSet",
    "MeasureViewSet",
    "OrganisationViewSet",
    "PDSACycleViewSet",
    "PaperViewSet",
    "PlanViewSet",
    "ProgressUpdateViewSet",
    "QIProjectViewSet",
    "RatingViewSet",
    "RiskReviewViewSet",
    "RiskViewSet",
    "SectionViewSet",
    "SpeakUpReturnView",
]
