from django.urls import path

from . import invite

app_name = "lms_accounts"
urlpatterns = [
    path("", invite.invite_page, name="invite"),
    path("all/", invite.invite_all, name="invite_all"),
    path("<int:user_id>/", invite.invite_one, name="invite_one"),
    path("jobs/<uuid:job_id>/", invite.invite_job_page, name="invite_job"),
    path("jobs/<uuid:job_id>/status/", invite.invite_job_status, name="invite_job_status"),
]
