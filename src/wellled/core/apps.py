from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "wellled.core"
    verbose_name = "Organisations and people"
