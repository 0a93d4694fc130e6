from django.apps import AppConfig


class FtsuConfig(AppConfig):
    name = "wellled.ftsu"
    verbose_name = "Freedom to Speak Up"
