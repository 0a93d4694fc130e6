"""Oversight URLs: a trust's oversight status and exit criteria, the portfolio of an oversight body."""

from django.urls import path

urlpatterns: list = []

# The portfolio of an oversight body (oversight/portfolio_views.py) ---------------------------------------------

from . import portfolio_views  # noqa: E402 (kept with its own block, apart from the records pages above)

urlpatterns += [
    path("oversight/portfolio/", portfolio_views.portfolio_page, name="oversight-portfolio"),
    path(
        "oversight/portfolio/trajectories/",
        portfolio_views.trajectories_page,
        name="oversight-trajectories",
    ),
]
