"""Committees' pages (issue 22). Each part of the work (committees and meetings, the cycle of business and packs,
chair's reports and the links to the BAF and IPR) declares its routes in its own views module, listed here."""

from __future__ import annotations

from django.urls import path

from .views import effectiveness as effectiveness_views
from .views import links as link_views
from .views import reports as report_views

urlpatterns: list = []

# Chair's reports, escalation, committee reviews of principal risks and linking risks (cmt-chair, ADR 0062).
urlpatterns += [
    path("committees/reports/", report_views.report_list, name="committee-report-list"),
    path("committees/reports/<int:pk>/", report_views.report_detail, name="committee-report-detail"),
    path("committees/reports/<int:pk>/issue/", report_views.report_issue, name="committee-report-issue"),
    path("committees/meetings/<int:pk>/report/", report_views.report_edit, name="committee-report-edit"),
    path(
        "committees/meetings/<int:pk>/refer/",
        report_views.escalation_create,
        name="committee-escalation-create",
    ),
    path("committees/referred/", report_views.escalation_list, name="committee-escalation-list"),
    path(
        "committees/<int:pk>/referred/place/",
        report_views.escalation_place,
        name="committee-escalation-place",
    ),
    path(
        "committees/risk-reviews/new/", report_views.risk_review_create, name="committee-risk-review-create"
    ),
    path("committees/link-risks/", link_views.link_risks, name="committee-link-risks"),
]

# The annual effectiveness review of each committee (cmt-api, ADR 0063).
urlpatterns += [
    path(
        "committees/<int:pk>/effectiveness/<int:year>/",
        effectiveness_views.effectiveness_review,
        name="committee-effectiveness",
    ),
]
