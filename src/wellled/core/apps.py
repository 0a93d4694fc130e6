from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "wellled.core"
    verbose_name = "Organisations and people"

    def ready(self) -> None:
        from . import checks  # noqa: F401 (registers the checks of stored data)
