"""Site URLs of the hr app, included by lms.urls."""

app_name = "hr"
urlpatterns: list = []
