"""The JSON API under /api/v1/: one NinjaAPI, one router per app.

Session authentication with CSRF for the browser; malformed input is a 400 with
a message, never a 500.
"""

from django.http import HttpRequest
from ninja import NinjaAPI, Schema
from ninja.errors import ValidationError
from ninja.security import django_auth

from courses.api import router as courses_router
from hr.api import router as hr_router
from media_pipeline.api import router as media_router
from officers.api import router as officers_router
from progress.api import router as progress_router
from quizzes.api import router as quizzes_router

api = NinjaAPI(
    title="Digital Government Learning API",
    version="1",
    description="API for the micro-learning platform (session auth + CSRF).",
    urls_namespace="api-v1",
    auth=django_auth,
)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError):
    return api.create_response(
        request,
        {
            "detail": "ข้อมูลไม่ถูกต้อง / Invalid request data",
            "errors": exc.errors,
        },
        status=400,
    )


class PingOut(Schema):
    ok: bool
    user: str | None


@api.get("/ping", response=PingOut, auth=None, tags=["system"])
def ping(request: HttpRequest):
    """Trivial endpoint: health check and benchmark baseline."""
    user = request.user if request.user.is_authenticated else None
    return {"ok": True, "user": user.get_username() if user else None}


api.add_router("/", officers_router)
api.add_router("/", media_router)
api.add_router("/", quizzes_router)
api.add_router("/", courses_router)
api.add_router("/", progress_router)
api.add_router("/", hr_router)
