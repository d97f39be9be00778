"""Certificate URLs (download, public verification), included by progress.urls."""

from django.urls import path

from progress.certificates import views

urlpatterns: list = [
    path("certificates/verify/", views.verify_upload, name="certificate_verify_upload"),
    path("certificates/verify/<str:code>/", views.verify, name="certificate_verify"),
    path("certificates/<str:code>/download/", views.download, name="certificate_download"),
    path("certificates/<str:code>/revoke/", views.revoke, name="certificate_revoke"),
]
