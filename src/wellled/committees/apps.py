from django.apps import AppConfig


class CommitteesConfig(AppConfig):
    name = "wellled.committees"
    verbose_name = "Committees and meetings"
