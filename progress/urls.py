"""Site URLs of the progress app, included by lms.urls."""

app_name = "progress"
urlpatterns: list = []
