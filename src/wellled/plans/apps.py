from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "wellled.plans"
    verbose_name = "Improvement plans"

    def ready(self) -> None:
        from wellled.core.holdings import Holding, holding_register
        from wellled.core.permissions import Permission

        from . import checks  # noqa: F401 (registers the check of stored references)
        from .selectors import actions_led_open
        from .services import actions_lead_reassign

        # A leaver's (or a lead made a viewer's) open actions are handed on with them (core.holdings).
        def held(*, by, organisation, person):
            return actions_led_open(user=by, organisation=organisation, person=person)

        def hand_on(*, records, person, to, by):
            return actions_lead_reassign(actions=records, person=person, to=to, by=by)

        words = "open action{s} they lead or co-lead"
        holding_register(
            Holding(
                "actions", words, Permission.UPDATE_OWN_ACTION, held, hand_on, "action-detail", _action_named
            )
        )


def _action_named(action) -> str:
    return f"{action.plan.name}, {action.reference}: {action.title}"
