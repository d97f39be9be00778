"""URLs of outgoing notifications, included by progress.urls (namespace "progress")."""

from django.urls import path

from . import views

urlpatterns = [
    path("sw.js", views.service_worker, name="notifications_sw"),
    path("me/notifications/", views.settings_page, name="notifications_settings"),
    path("me/notifications/line/link/", views.line_link, name="notifications_line_link"),
    path("me/notifications/line/unlink/", views.line_unlink, name="notifications_line_unlink"),
    path(
        "me/notifications/push/subscribe/",
        views.push_subscribe,
        name="notifications_push_subscribe",
    ),
    path(
        "me/notifications/push/unsubscribe/",
        views.push_unsubscribe,
        name="notifications_push_unsubscribe",
    ),
    path("notifications/line/webhook/", views.line_webhook, name="notifications_line_webhook"),
]
