from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.decorators.cache import cache_control
from django.views.i18n import JavaScriptCatalog
from wagtail import urls as wagtail_urls
from wagtail import views as wagtail_views
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from common import thai_slugs
from officers import views as officers_views

from . import health
from .accounts import views as account_views
from .accounts.factor_reset import factor_reset_page
from .api import api
from .api_v2 import api_router
from .views import errors, me, media

handler400 = errors.bad_request
handler403 = errors.permission_denied
handler404 = errors.page_not_found
handler500 = errors.server_error

urlpatterns = [
    # One sign-in for everyone (allauth: throttled, second factor for staff); the admin
    # login addresses serve the same form, so no second form skips the factor.
    path("admin/login/", account_views.staff_login, name="wagtailadmin_login"),
    path("django-admin/login/", account_views.staff_login),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.ready, name="readyz"),
    path("metrics", health.metrics, name="metrics"),
    path("django-admin/", admin.site.urls),
    # Before Wagtail's own bulk-action route: officers' rows are for administrators only.
    path(
        "admin/bulk/officers/<str:model_name>/<str:action>/",
        officers_views.bulk_action_for_administrators,
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/login/", account_views.login, name="login"),
    path("accounts/logout/", account_views.logout, name="logout"),
    path("accounts/", include("allauth.urls")),
    path("hr/invite/", include("lms.accounts.invite_urls")),
    path("staff/factor-reset/", factor_reset_page, name="factor_reset"),
    path("i18n/", include("django.conf.urls.i18n")),
    # The scripts' interface text (djangojs catalogues of the apps whose scripts use it).
    path(
        "jsi18n/",
        cache_control(private=True, max_age=3600)(
            JavaScriptCatalog.as_view(packages=["quizzes", "media_pipeline", "progress"])
        ),
        name="javascript-catalog",
    ),
    path("favicon.ico", errors.favicon),
    path("api/v1/", api.urls),
    path("api/v2/", api_router.urls),
    path("", include("quizzes.urls")),
    path("", include("progress.urls")),
    path("", include("hr.urls")),
    # The officer's own record (lms.views.me).
    path("me/", me.me, name="me"),
    path("me/record.json", me.me_record_json, name="me_record"),
    path("me/courses/<int:course_id>/again/", me.me_course_again, name="me_course_again"),
    path("", include("courses.urls")),
]

if settings.STORAGES["default"]["BACKEND"].endswith("FileSystemStorage"):
    # Files under MEDIA_ROOT (HLS segments, posters, captions) when no object
    # storage or CDN serves them; a production proxy or CDN can take this over.
    urlpatterns += [
        re_path(rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.*)$", media.serve_media),
    ]

urlpatterns += [
    path("", include(wagtail_urls)),
    # Issue 17: Wagtail's serve pattern is [\w\-]+, which does not route Thai slugs with
    # vowels and tone marks (combining marks are not \w); this one, tried after it, does.
    re_path(thai_slugs.SERVE_PATTERN, wagtail_views.serve, name="wagtail_serve"),
]
