from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "wellled.plans"
    verbose_name = "Improvement plans"

    def ready(self) -> None:
        from . import checks  # noqa: F401 (registers the check of stored references)
