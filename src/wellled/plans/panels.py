"""Parts of an action's page that other apps add (the risks it mitigates, say): plans cannot import those apps,
so each registers a provider here, and the action's view reads every panel before the template renders."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from wellled.core.models import Organisation, User

from .models import Action


@dataclass(frozen=True)
class ActionPanel:
    """A template to include on the action's page and the data it shows (read already: templates never query)."""

    template: str
    data: Mapping[str, Any] = field(default_factory=dict)


ActionPanelProvider = Callable[..., ActionPanel | None]
_providers: list[ActionPanelProvider] = []


def action_panel_provider_register(provider: ActionPanelProvider) -> None:
    """Register `provider(user=, organisation=, action=)` returning a panel, or None when it has nothing to show."""
    if provider not in _providers:
        _providers.append(provider)


def action_panels(*, user: User, organisation: Organisation, action: Action) -> list[ActionPanel]:
    """Every registered app's panel for this action, in registration order (apps' order in settings)."""
    panels = (provider(user=user, organisation=organisation, action=action) for provider in _providers)
    return [panel for panel in panels if panel is not None]
