"""Site URLs of the officers app, included by lms.urls."""

app_name = "officers"
urlpatterns: list = []
