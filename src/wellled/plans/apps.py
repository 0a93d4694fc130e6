from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "wellled.plans"
    verbose_name = "Improvement plans"
