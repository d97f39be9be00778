"""Site URLs of the progress app, included by lms.urls."""

from django.urls import include, path

app_name = "progress"
urlpatterns: list = [
    path("", include("progress.certificate_urls")),
    path("", include("progress.notifications.urls")),
]
