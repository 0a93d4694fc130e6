"""Demo step: information requests from three bodies about the demo trust, one answered once for two of them and
one offered that answer for reuse; and, in the trust's own register, requests addressed to the trust, one
answered and one answered by reusing that answer (content in `data/information.yaml`). E-mails go to the configured backend (the
console, for `wellled demo`)."""

from __future__ import annotations

from typing import Any

from wellled.core.access import current_memberships
from wellled.core.choices import OVERSIGHT_KINDS
from wellled.core.models import Organisation, PortfolioEntry, User
from wellled.information import services
from wellled.information.models import InformationRequest
from wellled.measures.models import Measure

from .loader import DemoDates, Writer, data, say_to
from .plans import DEMO_ODS_CODE, demo_plan

CONTENT: dict[str, Any] = data("information.yaml")


def _register_owner(trust: Organisation) -> tuple[Organisation, User | None]:
    """The oversight body holding the trust today and its improvement director, else the trust and its editor."""
    entry = (
        PortfolioEntry.objects.standing()
        .filter(trust=trust)
        .select_related("oversight_body")
        .order_by("oversight_body__name")
        .first()
    )
    if entry is not None:
        body = entry.oversight_body
        member = (
            current_memberships(organisation=body, user__username=CONTENT["director"])
            .select_related("user")
            .first()
        )
        if member is not None:
            return body, member.user
    editor = current_memberships(organisation=trust, user__username=CONTENT["editor"]).first()
    return trust, editor.user if editor else None


def _parameters(spec: dict[str, Any], trust: Organisation, dates: DemoDates) -> dict[str, Any]:
    parameters: dict[str, Any] = {"as_at": dates.date(spec["as_at"])}
    if spec["kind"] == "plan":
        plan = demo_plan()
        parameters["plan"] = plan.pk if plan else None
    if spec["kind"] == "measures":
        parameters["measures"] = list(
            Measure.objects.filter(organisation=trust, name__in=spec["measures"]).values_list("pk", flat=True)
        )
    return parameters


def _register(
    spec, *, owner: Organisation, trust: Organisation, by: User, dates: DemoDates
) -> InformationRequest:
    in_wellled = (
        Organisation.objects.filter(name=spec["body"], kind__in=OVERSIGHT_KINDS).exclude(pk=owner.pk).first()
    )
    return services.request_register(
        organisation=owner,
        by=by,
        subject=trust,
        question=" ".join(spec["question"].split()),
        received_on=dates.date(spec["received"]),
        due_on=dates.date(spec["due"]),
        kind=spec["kind"],
        parameters=_parameters(spec, trust, dates),
        asked_by_organisation=in_wellled,
        asked_by_name="" if in_wellled else spec["body"],
        asked_by_email="" if in_wellled else spec["email"],
        their_reference=spec["reference"],
    )


def information_demo_load(*, stdout: Writer | None = None, dates: DemoDates | None = None) -> int:
    """Load the demo's information requests once; returns how many were registered."""
    say = say_to(stdout)
    trust = Organisation.objects.filter(ods_code=DEMO_ODS_CODE).first()
    if trust is None or demo_plan() is None:
        say("The demo trust is not loaded; no information requests added.")
        return 0
    dates = dates or DemoDates()
    added = 0
    references = [spec["reference"] for spec in CONTENT["requests"]]
    if InformationRequest.objects.filter(subject=trust, their_reference__in=references).exists():
        say("Demo information requests are already loaded; nothing changed.")
    else:
        added += _requests_load(trust, dates, say)
    return added + _trust_requests_load(trust, dates, say)


def _requests_load(trust: Organisation, dates: DemoDates, say) -> int:
    owner, by = _register_owner(trust)
    if by is None:
        say("No one in the demo may keep the register; no information requests added.")
        return 0
    registered = {}
    for spec in CONTENT["requests"]:
        if not spec.get("register_after_answer"):
            registered[spec["reference"]] = _register(spec, owner=owner, trust=trust, by=by, dates=dates)
    outcome = services.answer_produce(request=registered[CONTENT["answer_first"]], by=by)
    for spec in CONTENT["requests"]:
        if spec.get("register_after_answer"):
            registered[spec["reference"]] = _register(spec, owner=owner, trust=trust, by=by, dates=dates)
    say(
        f"Demo information requests loaded in {owner.name}'s register: {len(registered)} from three bodies, "
        f"{len(outcome.delivered)} answered with one answer."
    )
    return len(registered)


def _trust_requests_load(trust: Organisation, dates: DemoDates, say) -> int:
    """Requests addressed to the trust, in its own register, when the requests above are the region's: one
    answered, one answered by reusing that answer, one waiting."""
    if InformationRequest.objects.filter(organisation=trust).exists():
        return 0  # loaded already, or the requests above are the trust's own
    editor = (
        current_memberships(organisation=trust, user__username=CONTENT["editor"])
        .select_related("user")
        .first()
    )
    if editor is None:
        return 0
    by = editor.user
    answer = None
    for spec in CONTENT["trust_requests"]:
        request = _register(spec, owner=trust, trust=trust, by=by, dates=dates)
        if spec.get("then") == "answer":
            answer = services.answer_produce(request=request, by=by).answer
        elif spec.get("then") == "reuse" and answer is not None:
            services.answer_share(request=request, answer=answer, by=by)
    say(
        f"Demo information requests addressed to {trust.name} loaded in its own register: "
        f"{len(CONTENT['trust_requests'])}, one answered by reusing an earlier answer."
    )
    return len(CONTENT["trust_requests"])
