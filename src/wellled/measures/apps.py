from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "wellled.measures"
    verbose_name = "Measures and SPC"

    def ready(self) -> None:
        # Plan pages show each action's linked success measure; plans may not import measures, so it is given here.
        from wellled.plans.rows import success_measure_source_register

        from .selectors import success_measure_summaries

        success_measure_source_register(success_measure_summaries)
