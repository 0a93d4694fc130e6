from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "wellled.oversight"
    verbose_name = "Oversight of trusts"
