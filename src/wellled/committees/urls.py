"""Committees' pages (issue 22). Each part of the work (committees and meetings, the cycle of business and packs,
chair's reports and the links to the BAF and IPR) declares its routes in its own views module, listed here."""

from __future__ import annotations

from django.urls import path

from .views import cycle, packs

urlpatterns: list = []

# The cycle of business (cmt-pack, ADR 0057) ------------------------------------------------------------------------
urlpatterns += [
    path("committees/cycle/", cycle.cycle_index, name="committee-cycle-index"),
    path("committees/<int:pk>/cycle/", cycle.committee_cycle, name="committee-cycle"),
    path("committees/<int:pk>/cycle/year-end/", cycle.cycle_year_end, name="committee-cycle-year-end"),
    path("committees/<int:pk>/cycle/plan/", cycle.cycle_plan, name="committee-cycle-plan"),
    path("committees/<int:pk>/cycle/items/new/", cycle.cycle_item_create, name="committee-cycle-item-create"),
    path("committees/cycle/items/<int:pk>/edit/", cycle.cycle_item_edit, name="committee-cycle-item-edit"),
    path(
        "committees/cycle/entries/<int:pk>/defer/",
        cycle.cycle_entry_defer,
        name="committee-cycle-entry-defer",
    ),
    path("committees/meetings/<int:pk>/draft-agenda/", cycle.agenda_draft, name="committee-agenda-draft"),
    path("committees/meetings/<int:pk>/cycle-done/", cycle.cycle_held, name="committee-cycle-held"),
]

# Papers and the meeting pack (cmt-pack, ADR 0057) -------------------------------------------------------------------
urlpatterns += [
    path("committees/meetings/<int:pk>/papers/", packs.meeting_papers, name="committee-meeting-papers"),
    path("committees/items/<int:pk>/papers/new/", packs.paper_create, name="committee-paper-create"),
    path("committees/papers/<int:pk>/edit/", packs.paper_edit, name="committee-paper-edit"),
    path("committees/papers/<int:pk>/remove/", packs.paper_remove, name="committee-paper-remove"),
    path("committees/papers/<int:pk>/file/", packs.paper_file, name="committee-paper-file"),
    path("committees/meetings/<int:pk>/packs/new/", packs.pack_create, name="committee-pack-create"),
    path("committees/packs/<int:pk>/", packs.pack_detail, name="committee-pack-detail"),
    path("committees/packs/<int:pk>.<slug:fmt>", packs.pack_file, name="committee-pack-file"),
]
