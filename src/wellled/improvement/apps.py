from django.apps import AppConfig


class ImprovementConfig(AppConfig):
    name = "wellled.improvement"
    verbose_name = "Quality improvement"

    def ready(self) -> None:
        """A leaver's (or a lead made a viewer's) open QI projects are handed on with them (core.holdings)."""
        from wellled.core.holdings import Holding, holding_register
        from wellled.core.permissions import Permission

        from .selectors import projects_held_open as held
        from .services import projects_hand_on as hand_on

        words = "open QI project{s} they lead, sponsor or work on"
        holding_register(
            Holding("qi_projects", words, Permission.RECORD_PDSA, held, hand_on, "qi-project-detail")
        )
