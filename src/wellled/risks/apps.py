from django.apps import AppConfig


class RisksConfig(AppConfig):
    name = "wellled.risks"
    label = "risks"
    verbose_name = "Risks and the board assurance framework"

    def ready(self) -> None:
        # The background job that issues papers runs a BAF paper through the risks app's own issuer.
        from wellled.reports.services import job_issuer_register

        from .baf_issue import baf_job_issue

        job_issuer_register("baf", baf_job_issue)
        # The action's page lists the risks it mitigates (the other half of the link kept on the risk).
        from wellled.plans.panels import action_panel_provider_register

        from .selectors import action_risks_panel

        action_panel_provider_register(action_risks_panel)
        # The board paper prints, beside each action, the risks it mitigates.
        from wellled.reports.board_paper import risks_source_register

        from .selectors import mitigated_risks_by_action

        risks_source_register(mitigated_risks_by_action)
