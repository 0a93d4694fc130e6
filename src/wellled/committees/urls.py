"""Committees' pages (issue 22). Each part of the work (committees and meetings, the cycle of business and packs,
chair's reports and the links to the BAF and IPR) declares its routes in its own views module, listed here."""

from __future__ import annotations

urlpatterns: list = []
