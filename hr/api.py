"""JSON endpoints of the hr app, mounted under /api/v1/ by lms.api."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError

from common.thai_dates import fiscal_year_parse
from officers.models import AuditAction
from officers.reauth import recently_authenticated
from officers.scoping import user_can_see_hr
from officers.services import audit_record

from .selectors import attach_completions, record_status, records_for

router = Router(tags=["hr"])

# Far beyond any real number of records, well inside what the database accepts.
MAX_OFFSET = 10**9


class RecordOut(Schema):
    username: str
    unit_code: str | None
    course_id: int
    course: str
    status: str
    completed_at: str | None
    assisted: bool
    learning_minutes: int | None
    score: float | None


class ErrorOut(Schema):
    detail: str


class RecordsOut(Schema):
    count: int
    results: list[RecordOut]


@router.get("/hr/records", response={200: RecordsOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut})
def hr_records(request: HttpRequest, fy: str | None = None, offset: int = 0, limit: int = 100):
    """Learning records in the caller's HR scope (agency subtree; all for administrators)."""
    if not user_can_see_hr(request.user):
        raise HttpError(403, _("เฉพาะเจ้าหน้าที่งานบุคคล"))
    # The same records as the CSV/XLSX exports: a stale session re-authenticates first
    # (on the site, at /accounts/reauthenticate/), as it does for them.
    if not recently_authenticated(request):
        raise HttpError(403, _("โปรดยืนยันตัวตนอีกครั้งก่อนดึงข้อมูลการเรียนรู้"))
    if not 0 <= offset <= MAX_OFFSET or not 1 <= limit <= 1000:
        raise HttpError(400, _("offset/limit ไม่ถูกต้อง"))
    try:
        year = fiscal_year_parse(fy)
    except ValueError as exc:
        raise HttpError(400, str(exc)) from exc
    qs = records_for(request.user, fy=year)
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORT,
        what="learning records (api)",
        scope=f"fy={year or ''} offset={offset}",
        path=request.get_full_path(),
    )
    rows = attach_completions(list(qs[offset : offset + limit]), fy=year)
    return {
        "count": qs.count(),
        "results": [
            {
                "username": r["username"],
                "unit_code": r["unit_code"],
                "course_id": r["course_id"],
                "course": r["course_title"],
                "status": record_status(r),
                "completed_at": r["completed_at"].isoformat() if r["completed_at"] else None,
                "assisted": bool(r["assisted"]),
                "learning_minutes": r["learning_minutes"],
                "score": r["score"],
            }
            for r in rows
        ],
    }
