"""The product page where people make and revoke their API tokens."""

from django.urls import path

from . import pages

urlpatterns = [
    path("api-tokens/", pages.token_list, name="api-tokens"),
    path("api-tokens/<int:pk>/revoke/", pages.token_revoke, name="api-token-revoke"),
]
