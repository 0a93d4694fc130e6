"""Signals core sends for the apps above it, which core cannot import: each app connects in its AppConfig.ready."""

from __future__ import annotations

from django.dispatch import Signal

# A person's membership of an organisation has ended (a leaver, or a placeholder merged into someone), inside the
# transaction that ended it. Sent with membership= (already marked ended) and by= (who ended it). The API revokes
# the person's tokens for that organisation here (docs/api.md).
membership_ended = Signal()
