"""A URL map with no pages: the proof that a kept address follows the URL map in use."""

urlpatterns: list = []
