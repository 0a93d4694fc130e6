from django.apps import AppConfig


class AccreditationConfig(AppConfig):
    name = "wellled.accreditation"
    verbose_name = "Ward accreditation"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from .services import schemes_sync_shipped_after_migrate

        post_migrate.connect(schemes_sync_shipped_after_migrate, sender=self)
