"""Admin URLs of the media pipeline, mounted by wagtail_hooks under /admin/video-pipeline/."""

from django.urls import path

from . import admin_views

app_name = "media_pipeline_admin"
urlpatterns = [
    path("", admin_views.index, name="index"),
    path("status/", admin_views.status, name="status"),
    path("upload/<str:media_type>/", admin_views.upload, name="upload"),
    path("<int:pk>/", admin_views.detail, name="detail"),
    path("<int:pk>/retry/", admin_views.retry, name="retry"),
    path("<int:pk>/reencode/", admin_views.reencode, name="reencode"),
    path("<int:pk>/captions/", admin_views.captions, name="captions"),
    path("<int:pk>/original/", admin_views.original, name="original"),
]
