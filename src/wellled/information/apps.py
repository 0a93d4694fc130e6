from django.apps import AppConfig


class InformationConfig(AppConfig):
    name = "wellled.information"
    verbose_name = "Information requests"
