"""What the commands share to name their organisation and whom they act as: an ODS code that matches no
organisation, or a member who is not there, is one line at the terminal (a CommandError), never a traceback."""

from __future__ import annotations

from django.core.management.base import CommandError

from wellled.core.models import Organisation, User
from wellled.core.selectors import command_actor


def command_organisation(ods_code: str) -> Organisation:
    """The organisation a command names by its ODS code (in any case), or a CommandError saying there is none."""
    code = ods_code.strip().upper()
    organisation = Organisation.objects.filter(ods_code=code).first()
    if organisation is None:
        raise CommandError(f"No organisation has the ODS code {code!r}.")
    return organisation


def command_member(organisation: Organisation, username: str | None) -> User:
    """Whom the run acts as (core.selectors.command_actor: the named member, else the first administrator), or a
    CommandError saying who is missing."""
    try:
        return command_actor(organisation=organisation, username=username)
    except LookupError as exc:
        raise CommandError(str(exc)) from None
