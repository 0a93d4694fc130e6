"""What a person holds that someone must go on holding when they leave or lose the role to act: a registry that
each app fills with its own kind of open work (plans: the actions they lead; risks: the risks they own or handle;
improvement: the QI projects they lead). Core knows no other app, so a leaver's or demoted person's work is found
and handed on through these, in the one transaction of core.services.person_deactivate or person_role_set."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from .models import Organisation, User
from .permissions import Permission


@dataclass(frozen=True)
class Holding:
    """One kind of open work a person can hold in an organisation.

    `words` name them, with {s} where the plural adds an s ("open action{s} they lead or co-lead"); `permission` is
    what holding it needs, of the person and of whoever takes it on; `held(by=, organisation=, person=)` lists the
    open records the person holds (read as `by`, an administrator); `hand_on(records=, person=, to=, by=)` gives
    each to `to` through the app's own audited services and returns how many; `link` (a URL name taking the
    record's id) and `describe` show a record on the warning page."""

    key: str
    words: str
    permission: Permission
    held: Callable[..., Iterable[Any]]
    hand_on: Callable[..., int]
    link: str | None = None
    describe: Callable[[Any], str] = str


_HOLDINGS: dict[str, Holding] = {}


def holding_register(holding: Holding) -> Holding:
    """Add a kind of holding (an app's ready() does, once; registering the same key again replaces it)."""
    _HOLDINGS[holding.key] = holding
    return holding


def holdings() -> list[Holding]:
    """Every registered kind of holding, in the order registered."""
    return list(_HOLDINGS.values())


@dataclass
class Held:
    """What a person holds of one kind, as it stands."""

    holding: Holding
    records: list[Any]

    @property
    def text(self) -> str:
        """How many, in words: "3 open actions they lead or co-lead"."""
        count = len(self.records)
        return f"{count} {self.holding.words.format(s='' if count == 1 else 's')}"


def person_holdings(*, by: User, organisation: Organisation, person: User) -> list[Held]:
    """The open work the person holds in the organisation, kind by kind (only the kinds with any)."""
    found = [Held(h, list(h.held(by=by, organisation=organisation, person=person))) for h in holdings()]
    return [held for held in found if held.records]
