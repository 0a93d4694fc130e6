"""Information request URLs."""

urlpatterns: list = []
