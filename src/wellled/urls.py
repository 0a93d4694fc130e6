"""URL map: one include per app."""

from django.urls import include, path

urlpatterns = [
    path("", include("wellled.core.urls")),
    path("", include("wellled.core.people_urls")),
    path("", include("wellled.plans.people_urls")),
    path("", include("wellled.plans.urls")),
    path("", include("wellled.reports.urls")),
    path("", include("wellled.measures.urls")),
    path("", include("wellled.assessments.urls")),
    path("", include("wellled.risks.urls")),
    path("api/", include("wellled.api.urls")),
    path("", include("wellled.api.page_urls")),
    path("", include("wellled.accreditation.urls")),
    path("", include("wellled.improvement.urls")),
    path("", include("wellled.oversight.urls")),
    path("", include("wellled.information.urls")),
    path("", include("wellled.ftsu.urls")),
    path("", include("wellled.committees.urls")),
]

handler400 = "wellled.core.views.bad_request"
handler404 = "wellled.core.views.page_not_found"
handler403 = "wellled.core.views.permission_denied"
