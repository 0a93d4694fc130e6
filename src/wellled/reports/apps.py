from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "wellled.reports"
    label = "reports"
    verbose_name = "Board papers and exports"
    default_auto_field = "django.db.models.BigAutoField"
