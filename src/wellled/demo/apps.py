from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "wellled.demo"
    label = "demo"
    verbose_name = "Demo"
