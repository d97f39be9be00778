"""Provider URLs, included by allauth under /accounts/: the redirect URI to register is
/accounts/oidc/<id>/login/callback/."""

from django.urls import include, path

from . import views

urlpatterns = [
    path(
        "oidc/<str:provider_id>/",
        include(
            [
                path("login/", views.login, name="lms_oidc_login"),
                path("login/callback/", views.callback, name="lms_oidc_callback"),
            ]
        ),
    )
]
