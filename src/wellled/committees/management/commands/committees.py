"""`wellled committees link-risks --organisation ODS [--confirm] [--as-user U]`: the lead committee texts typed on
risks, each with the committee it matches; with --confirm, the matched ones become links (audited). Texts with no
match are listed for the administrator to choose on the page (Committees → Link risks)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from wellled.core.models import Organisation
from wellled.core.selectors import command_actor

from ...selectors.links import link_proposals
from ...services.links import risks_link


class Command(BaseCommand):
    help = "Committees: match the risks' lead committee texts to committees and link them."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        link = sub.add_parser(
            "link-risks", help="Show each lead committee text and its match; --confirm links."
        )
        link.add_argument("--organisation", required=True, help="The organisation's ODS code.")
        link.add_argument("--confirm", action="store_true", help="Link the risks whose text matched.")
        link.add_argument("--as-user", help="Act as this administrator (default: the first administrator).")

    def handle(self, *args: Any, verb: str, **options: Any) -> None:
        org = Organisation.objects.filter(ods_code__iexact=options["organisation"]).first()
        if org is None:
            raise CommandError(f"No organisation has the ODS code {options['organisation']}.")
        try:
            by = command_actor(organisation=org, username=options["as_user"])
        except LookupError as exc:
            raise CommandError(str(exc)) from None
        proposals = link_proposals(user=by, organisation=org)
        if not proposals:
            self.stdout.write("Every risk with a lead committee is linked to a committee already.")
            return
        for p in proposals:
            found = (
                p.committee.name if p.committee else "no match: create the committee or choose on the page"
            )
            self.stdout.write(f"{p.text!r} ({p.risks} risk{'' if p.risks == 1 else 's'}) -> {found}")
        if not options["confirm"]:
            self.stdout.write("Nothing changed: run again with --confirm to link the matched risks.")
            return
        linked = risks_link(
            organisation=org, by=by, chosen={p.text: p.committee for p in proposals if p.committee}
        )
        self.stdout.write(f"Linked {linked} risk{'' if linked == 1 else 's'} to their committees.")
