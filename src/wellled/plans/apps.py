from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "wellled.plans"
    verbose_name = "Improvement plans"

    def ready(self) -> None:
        # A leaver's (or a lead made a viewer's) open actions are handed on with them (core.holdings).
        from django.urls import reverse

        from wellled.core.holdings import Holding, holding_register
        from wellled.core.permissions import Permission

        from . import checks  # noqa: F401 (registers the check of stored references)
        from .selectors import actions_led_open
        from .services import actions_lead_reassign

        holding_register(
            Holding(
                key="actions",
                label="open actions they lead or co-lead",
                one="open action they lead or co-lead",
                permission=Permission.UPDATE_OWN_ACTION,
                held=lambda *, by, organisation, person: actions_led_open(
                    user=by, organisation=organisation, person=person
                ),
                hand_on=lambda *, records, person, to, by: actions_lead_reassign(
                    actions=records, person=person, to=to, by=by
                ),
                describe=lambda action: f"{action.plan.name}, {action.reference}: {action.title}",
                link=lambda action: reverse("action-detail", args=[action.pk]),
            )
        )
