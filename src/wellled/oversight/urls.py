"""Oversight URLs: a trust's oversight status and exit criteria, the portfolio of an oversight body."""

urlpatterns: list = []
