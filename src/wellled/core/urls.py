"""Sign-in, organisation switching, the organisation page and audit log."""

from django.urls import path

from . import views

urlpatterns = [
    path("accounts/login/", views.SignInView.as_view(), name="login"),
    path("accounts/logout/", views.sign_out, name="logout"),
    path("organisation/", views.organisation_detail, name="organisation-detail"),
    path("organisation/switch/", views.organisation_switch, name="organisation-switch"),
    path("organisation/audit/", views.audit_log, name="audit-log"),
    path("organisation/word-template/", views.word_template, name="word-template"),
    path("organisation/delivery-scale/", views.delivery_scale, name="delivery-scale"),
    path("organisation/word-template/remove/", views.word_template_delete, name="word-template-remove"),
    path("organisation/word-template.docx", views.word_template_download, name="word-template-download"),
    path("health/", views.health, name="health"),
]
