"""Committees' pages (issue 22). Each part of the work (committees and meetings, the cycle of business and packs,
chair's reports and the links to the BAF and IPR) declares its routes in its own views module, listed here."""

from __future__ import annotations

from django.urls import path

from wellled.core.url_kit import record_paths

from .views import committees as committee_views
from .views import cycle, packs
from .views import effectiveness as effectiveness_views
from .views import links as link_views
from .views import meetings as meeting_views
from .views import reports as report_views

urlpatterns: list = []

# Committees, terms of reference, meetings, minutes, decisions and the action log (cmt-meet, ADR 0056) -------------
urlpatterns += [
    *record_paths(
        "committees/",
        committee_views,
        "committee",
        ("list", "create", "detail", "edit", "history", "actions"),
    ),
    path("committees/<int:pk>/members/new/", committee_views.member_add, name="committee-member-add"),
    *record_paths("committees/members/", committee_views, "member", ("edit",), name="committee-member"),
    path("committees/<int:pk>/terms/new/", committee_views.terms_create, name="committee-terms-create"),
    *record_paths(
        "committees/terms/", committee_views, "terms", ("detail", "edit", "approve"), name="committee-terms"
    ),
    path("committees/<int:pk>/meetings/new/", meeting_views.meeting_create, name="committee-meeting-create"),
    *record_paths(
        "committees/meetings/",
        meeting_views,
        "meeting",
        (
            "list",
            "detail",
            "edit",
            "cancel",
            "held",
            "attendance",
            "declare",
            "decide",
            "act",
            "approve",
            "history",
        ),
        name="committee-meeting",
    ),
    path("committees/meetings/<int:pk>/items/new/", meeting_views.item_create, name="agenda-item-create"),
    *record_paths(
        "committees/meetings/items/",
        meeting_views,
        "item",
        ("edit", "move", "remove", "minute"),
        name="agenda-item",
    ),
    path("committees/decisions/", meeting_views.decision_list, name="decision-list"),
    path("committees/calendar/", meeting_views.meeting_calendar, name="meeting-calendar"),
    # The feed a calendar program fetches: no sign-in, the secret address is the credential (core.middleware).
    path("calendar/<str:token>.ics", meeting_views.meeting_calendar_feed, name="meeting-calendar-feed"),
]

# Chair's reports, escalation, committee reviews of principal risks and linking risks (cmt-chair, ADR 0062).
urlpatterns += [
    *record_paths(
        "committees/reports/", report_views, "report", ("list", "detail", "issue"), name="committee-report"
    ),
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

# The cycle of business (cmt-pack, ADR 0057) ------------------------------------------------------------------------
urlpatterns += [
    path("committees/cycle/", cycle.cycle_index, name="committee-cycle-index"),
    path("committees/<int:pk>/cycle/", cycle.committee_cycle, name="committee-cycle"),
    path("committees/<int:pk>/cycle/year-end/", cycle.cycle_year_end, name="committee-cycle-year-end"),
    path("committees/<int:pk>/cycle/plan/", cycle.cycle_plan, name="committee-cycle-plan"),
    path("committees/<int:pk>/cycle/items/new/", cycle.cycle_item_create, name="committee-cycle-item-create"),
    *record_paths("committees/cycle/items/", cycle, "cycle_item", ("edit",), name="committee-cycle-item"),
    *record_paths(
        "committees/cycle/entries/", cycle, "cycle_entry", ("defer",), name="committee-cycle-entry"
    ),
    path("committees/meetings/<int:pk>/draft-agenda/", cycle.agenda_draft, name="committee-agenda-draft"),
    path("committees/meetings/<int:pk>/cycle-done/", cycle.cycle_held, name="committee-cycle-held"),
]

# Papers and the meeting pack (cmt-pack, ADR 0057) -------------------------------------------------------------------
urlpatterns += [
    path("committees/meetings/<int:pk>/papers/", packs.meeting_papers, name="committee-meeting-papers"),
    path("committees/items/<int:pk>/papers/new/", packs.paper_create, name="committee-paper-create"),
    *record_paths("committees/papers/", packs, "paper", ("edit", "remove", "file"), name="committee-paper"),
    path("committees/meetings/<int:pk>/packs/new/", packs.pack_create, name="committee-pack-create"),
    *record_paths("committees/packs/", packs, "pack", ("detail",), name="committee-pack"),
    path("committees/packs/<int:pk>.<slug:fmt>", packs.pack_file, name="committee-pack-file"),
]

# The annual effectiveness review of each committee (cmt-api, ADR 0063).
urlpatterns += [
    path(
        "committees/<int:pk>/effectiveness/<int:year>/",
        effectiveness_views.effectiveness_review,
        name="committee-effectiveness",
    ),
]
