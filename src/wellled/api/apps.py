from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "wellled.api"
    label = "api"
    verbose_name = "REST API"

    def ready(self) -> None:
        """A person's tokens for an organisation end with their membership of it (docs/api.md)."""
        from wellled.core.signals import membership_ended

        from .services import membership_ended_receiver

        membership_ended.connect(membership_ended_receiver, dispatch_uid="api-tokens-end-with-the-membership")
