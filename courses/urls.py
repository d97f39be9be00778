"""Site URLs of the courses app, included by lms.urls."""

app_name = "courses"
urlpatterns: list = []
