"""Freedom to Speak Up URLs."""

urlpatterns: list = []
