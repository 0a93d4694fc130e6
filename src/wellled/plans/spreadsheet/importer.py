"""Import an action plan from a spreadsheet: a preview of what would change, then all of it or nothing.

`plan_import_preview` reads the file and compares it with the plan; it writes nothing. `plan_import_apply` does
the same inside one transaction with the plan's rows locked, refuses if the file has any error or if the plan moved
on since the preview (its fingerprint differs), then writes: people to invite and sections and findings through
their usual services, and the actions in bulk, with the records the single-action services would write (an
action's creation; each timescale revision, progress update and edit with its audit record). Bulk, because 5,000
rows through `action_create` one by one take over a minute. A re-import matches actions by reference and updates
them; it never deletes an action the file leaves out.

This module is the import's public face; the work is in `outcome`, `compare`, `apply` and `pending`.
"""

from .apply import person_label, plan_import_apply
from .compare import plan_import_preview
from .outcome import (
    LEAD_CHOICE_FIELD,
    LEAD_CHOICE_INVITE,
    ActionChange,
    ImportOutOfDate,
    ImportPreview,
    ImportRefused,
    ImportResult,
    LeadMatch,
    LegendWording,
    NewSection,
)
from .pending import (
    pending_file,
    pending_is_live,
    plan_import_apply_pending,
    plan_import_preview_pending,
    plan_import_store,
)

__all__ = [
    "LEAD_CHOICE_FIELD",
    "LEAD_CHOICE_INVITE",
    "ActionChange",
    "LeadMatch",
    "LegendWording",
    "ImportOutOfDate",
    "ImportPreview",
    "ImportRefused",
    "ImportResult",
    "NewSection",
    "pending_file",
    "pending_is_live",
    "person_label",
    "plan_import_apply",
    "plan_import_apply_pending",
    "plan_import_preview",
    "plan_import_preview_pending",
    "plan_import_store",
]
