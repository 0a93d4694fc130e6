from django.apps import AppConfig


class ImprovementConfig(AppConfig):
    name = "wellled.improvement"
    verbose_name = "Quality improvement"
