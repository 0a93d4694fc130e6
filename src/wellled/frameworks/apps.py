from django.apps import AppConfig


class FrameworksConfig(AppConfig):
    name = "wellled.frameworks"
    verbose_name = "Frameworks"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from .services import frameworks_sync_shipped_after_migrate

        post_migrate.connect(frameworks_sync_shipped_after_migrate, sender=self)
