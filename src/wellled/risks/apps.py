from django.apps import AppConfig


class RisksConfig(AppConfig):
    name = "wellled.risks"
    label = "risks"
    verbose_name = "Risks and the board assurance framework"

    def ready(self) -> None:
        # The BAF is a paper kind of the one paper pipeline (ADR 0043).
        from wellled.reports.papers.registry import kind_register

        from .paper_kind import BAF

        kind_register(BAF)
        # The action's page lists the risks it mitigates (the other half of the link kept on the risk).
        from wellled.plans.panels import action_panel_provider_register

        from .selectors import action_risks_panel

        action_panel_provider_register(action_risks_panel)
        # The board paper prints, beside each action, the risks it mitigates.
        from wellled.reports.board_paper import risks_source_register

        from .selectors import mitigated_risks_by_action

        risks_source_register(mitigated_risks_by_action)
        # A leaver's (or a lead made a viewer's) open risks are handed on with them (core.holdings).
        from wellled.core.holdings import Holding, holding_register
        from wellled.core.permissions import Permission

        from .selectors import risks_held_open
        from .services import risks_hand_on

        words = "open risk{s} they own, handle or lead as executive"
        able = Permission.REVIEW_OWN_RISK
        holding_register(Holding("risks", words, able, risks_held_open, risks_hand_on, "risk-detail"))
