"""The JSON API under /api/v1/: one NinjaAPI, one router per app.

Session authentication with CSRF for the browser; malformed input is a 400 with
a message, never a 500; a body above DATA_UPLOAD_MAX_MEMORY_SIZE is a 413.
"""

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import ValidationError
from ninja.security import django_auth

from hr.api import router as hr_router
from progress.api import router as progress_router
from quizzes.api import router as quizzes_router

BODY_METHODS = {"post", "put", "patch"}


class LearningAPI(NinjaAPI):
    """The project's NinjaAPI: its schema documents the 413 every body-taking call can answer."""

    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {})["TooLargeOut"] = {
            "title": "TooLargeOut",
            "type": "object",
            "properties": {"detail": {"title": "Detail", "type": "string"}},
            "required": ["detail"],
        }
        too_large = {
            "description": "Request body larger than the server accepts",
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/TooLargeOut"}}
            },
        }
        for operations in schema["paths"].values():
            for method, operation in operations.items():
                if method in BODY_METHODS:
                    operation["responses"].setdefault(413, too_large)
        return schema


api = LearningAPI(
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
            "detail": _("ข้อมูลไม่ถูกต้อง"),
            "errors": exc.errors,
        },
        status=400,
    )


@api.exception_handler(RequestDataTooBig)
def body_too_large(request: HttpRequest, exc: RequestDataTooBig):
    # Raised by Django while reading the body, before any parsing: nothing was stored.
    return api.create_response(request, {"detail": _("ข้อมูลที่ส่งมีขนาดใหญ่เกินกว่าที่ระบบรับได้")}, status=413)


class PingOut(Schema):
    ok: bool
    user: str | None


@api.get("/ping", response=PingOut, auth=None, tags=["system"])
def ping(request: HttpRequest):
    """Trivial endpoint: health check and benchmark baseline."""
    user = request.user if request.user.is_authenticated else None
    return {"ok": True, "user": user.get_username() if user else None}


api.add_router("/", quizzes_router)
api.add_router("/", progress_router)
api.add_router("/", hr_router)
