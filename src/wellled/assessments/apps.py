from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "wellled.assessments"
    verbose_name = "Assessments, scores and ratings"
