from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "wellled.api"
    label = "api"
    verbose_name = "REST API"
