"""Site URLs of the media_pipeline app, included by lms.urls."""

app_name = "media_pipeline"
urlpatterns: list = []
