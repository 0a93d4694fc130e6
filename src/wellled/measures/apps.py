from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "wellled.measures"
    verbose_name = "Measures and SPC"
