"""The header's navigation, declared once as data: one line per entry (base.jinja draws it with the NHS.UK header).

Each entry names its page, the paths that mark it as where the person is, and whom it is for: a trust's people,
an oversight body's, or both. On a phone the NHS.UK header shows as many entries as fit and puts the rest under
"More", so order matters: a person's own work comes first for the role whose day is their own actions (a lead
opens "My actions" from a reminder; it must not be hidden under "More"). Adding an entry is one line in ENTRIES.
"""

from __future__ import annotations

from dataclasses import dataclass

from wellled.core.choices import Role, SpeakUpRole
from wellled.core.permissions import Permission, role_allows
from wellled.core.url_kit import address

TRUST = "trust"
OVERSIGHT = "oversight"
BOTH = "both"


@dataclass(frozen=True)
class NavEntry:
    """One link in the header: its text, its page (URL name) and the paths under which it is where one is."""

    text: str
    url_name: str
    paths: str  # path prefixes, space-separated; the entry with the longest prefix of the path is current
    shown_to: str = TRUST  # TRUST, OVERSIGHT or BOTH
    own_work: bool = False  # the person's own work: first in the list for a lead
    exact: bool = False  # current only on exactly its path (the dashboard, at "/")
    permission: Permission | None = None  # shown only to roles granted it (None: every member)
    speak_up: str = (
        ""  # shown only to holders of this Freedom to Speak Up role, whatever their role (ADR 0054)
    )

    def match(self, path: str) -> int:
        """How closely the path is this entry's: the length of its longest prefix the path starts with, or 0."""
        if self.exact:
            return len(path) if path == self.paths else 0
        return max((len(prefix) for prefix in self.paths.split() if path.startswith(prefix)), default=0)


ENTRIES: tuple[NavEntry, ...] = (
    NavEntry("Dashboard", "dashboard", "/", exact=True),
    # An oversight body keeps no plans of its own: its menu is its portfolio and what it keeps about it.
    NavEntry("Portfolio", "oversight-portfolio", "/oversight/portfolio", OVERSIGHT),
    NavEntry("Trajectories", "oversight-trajectories", "/oversight/portfolio/trajectories", OVERSIGHT),
    NavEntry("Trusts", "oversight-home", "/oversight/", OVERSIGHT),
    NavEntry("Requests", "information-request-list", "/information", OVERSIGHT),
    NavEntry("Plans", "plan-list", "/plans /actions /findings /cycles /sections /papers /imports"),
    NavEntry("Assessments", "assessment-list", "/assessments /ratings"),
    NavEntry("Measures", "measure-list", "/measures"),
    NavEntry("Risks", "risk-register", "/risks /baf"),
    NavEntry("Performance", "ipr", "/performance-report"),
    NavEntry("Improvement", "qi-project-list", "/improvement"),
    NavEntry("Accreditation", "accreditation-overview", "/accreditation"),
    NavEntry("Committees", "committee-list", "/committees /meetings /decisions"),
    NavEntry("My actions", "my-actions", "/my-actions", own_work=True),
    # A trust's register of requests addressed to it is kept by those who manage its plans.
    NavEntry("Requests", "information-request-list", "/information", permission=Permission.MANAGE_PLANS),
    NavEntry("Speak up", "ftsu-case-list", "/speak-up/cases /speak-up/return", speak_up=SpeakUpRole.GUARDIAN),
    NavEntry("Speak-up contacts", "ftsu-champion", "/speak-up/champion", speak_up=SpeakUpRole.CHAMPION),
    NavEntry("Organisation", "organisation-detail", "/organisation", BOTH),
)

# The roles whose own work leads their menu.
OWN_WORK_FIRST = frozenset({Role.LEAD})


def entries_for(*, oversight: bool, role: str | None, speak_up: str = "") -> list[NavEntry]:
    """The entries a person sees, in their order: their own work first if their role is led by it."""
    where = OVERSIGHT if oversight else TRUST
    shown = [
        entry
        for entry in ENTRIES
        if entry.shown_to in (where, BOTH)
        and (entry.permission is None or role_allows(role, entry.permission))
        and (not entry.speak_up or entry.speak_up == speak_up)
    ]
    if role in OWN_WORK_FIRST:
        shown.sort(key=lambda entry: not entry.own_work)  # stable: the rest keep their order
    return shown


def navigation(request) -> list[dict]:
    """The header macro's navigation items for this request: none before sign-in or outside an organisation."""
    organisation = getattr(request, "organisation", None)
    if not request.user.is_authenticated or organisation is None:
        return []
    membership = getattr(request, "membership", None)
    role = membership.role if membership else None
    speak_up = membership.speak_up_role if membership and not organisation.is_oversight_body else ""
    entries = entries_for(oversight=organisation.is_oversight_body, role=role, speak_up=speak_up)
    closeness = [entry.match(request.path) for entry in entries]
    current = closeness.index(max(closeness)) if any(closeness) else None
    return [
        {"href": address(entry.url_name), "text": entry.text, "current": index == current}
        for index, entry in enumerate(entries)
    ]
