"""`wellled token create --user USERNAME [--organisation ODS] [--name TEXT]`: make a personal access token for the
API and print it once (only its SHA-256 is kept). `wellled token list --user USERNAME` shows a person's tokens."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from wellled.core.access import current_memberships
from wellled.core.formatting import iso_day, iso_minute
from wellled.core.models import User

from ...models import ApiToken
from ...services import token_create

DEFAULT_NAME = "Made on the command line"


class Command(BaseCommand):
    help = "Make (and print once) or list personal access tokens for the REST API."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        create = sub.add_parser("create", help="Make a token and print it once.")
        create.add_argument("--user", required=True, help="The username of the person the token acts as.")
        create.add_argument(
            "--organisation", help="The ODS code of the organisation (needed if the person is in several)."
        )
        create.add_argument("--name", default=DEFAULT_NAME, help="What the token is for.")
        listing = sub.add_parser("list", help="List a person's tokens (never their text).")
        listing.add_argument("--user", required=True)

    def handle(self, *args, subcommand: str, user: str, **options):
        person = User.objects.filter(username=user).first()
        if person is None:
            raise CommandError(f"No one has the username {user!r}.")
        if subcommand == "list":
            for token in ApiToken.objects.filter(user=person).select_related("organisation"):
                state = f"revoked {iso_day(token.revoked_at)}" if token.revoked_at else "active"
                used = iso_minute(token.last_used_at) if token.last_used_at else "never"
                self.stdout.write(
                    f"{token.prefix}…  {token.organisation.ods_code}  {token.name}  last used {used}  {state}"
                )
            return
        memberships = current_memberships(user=person).select_related("organisation")
        ods = options.get("organisation")
        if ods:
            memberships = memberships.filter(organisation__ods_code=ods.upper())
        found = list(memberships)
        if not found:
            where = f"the organisation {ods}" if ods else "any organisation"
            raise CommandError(f"{person.username} does not belong to {where}.")
        if len(found) > 1:
            codes = ", ".join(m.organisation.ods_code for m in found)
            raise CommandError(
                f"{person.username} belongs to several organisations ({codes}): add --organisation."
            )
        organisation = found[0].organisation
        try:
            token, raw = token_create(user=person, organisation=organisation, name=options["name"], by=None)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages))
        self.stderr.write(
            f"Token {token.prefix}… for {person.username} in {organisation.name} ({organisation.ods_code}), "
            f"role {found[0].get_role_display().lower()}. It is shown once; keep it secret:"
        )
        self.stdout.write(raw)
