from django.apps import AppConfig


class ImprovementConfig(AppConfig):
    name = "wellled.improvement"
    verbose_name = "Quality improvement"

    def ready(self) -> None:
        # A leaver's (or a lead made a viewer's) open QI projects are handed on with them (core.holdings).
        from django.urls import reverse

        from wellled.core.holdings import Holding, holding_register
        from wellled.core.permissions import Permission

        from .selectors import projects_held_open
        from .services import projects_hand_on

        holding_register(
            Holding(
                key="qi_projects",
                label="open QI projects they lead, sponsor or work on",
                one="open QI project they lead, sponsor or work on",
                permission=Permission.RECORD_PDSA,
                held=projects_held_open,
                hand_on=projects_hand_on,
                describe=lambda project: project.title,
                link=lambda project: reverse("qi-project-detail", args=[project.pk]),
            )
        )
