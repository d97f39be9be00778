"""Site URLs of the hr app, included by lms.urls."""

from django.urls import path

from . import notification_views, views

app_name = "hr"
urlpatterns: list = [
    path("hr/", views.dashboard, name="dashboard"),
    path("hr/export.csv", views.export_csv, name="export_csv"),
    path("hr/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("hr/export-dpis.csv", views.export_dpis, name="export_dpis"),
    path("hr/officers/", views.officers_page, name="officers"),
    path("hr/officers/<int:user_id>/", views.officer_transcript, name="officer"),
    path("hr/officers/<int:user_id>/assisted/", views.assisted_new, name="assisted_new"),
    path("hr/assignments/new/", views.assignment_form, name="assignment_form"),
    path("hr/assignments/", views.assignment_new, name="assignment_new"),
    path("hr/assignments/coverage/", views.assignment_coverage_view, name="assignment_coverage"),
    path("hr/assignments/<int:assignment_id>/edit/", views.assignment_edit, name="assignment_edit"),
    path("hr/notifications/", notification_views.notifications_overview, name="notifications"),
    path("hr/assignments/<int:assignment_id>/", views.assignment_page, name="assignment"),
    path(
        "hr/assignments/<int:assignment_id>/status/",
        views.assignment_status,
        name="assignment_status",
    ),
    path(
        "hr/assignments/<int:assignment_id>/cancel/",
        views.assignment_cancel_view,
        name="assignment_cancel",
    ),
]
