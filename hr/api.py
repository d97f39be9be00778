"""JSON endpoints of the hr app, mounted under /api/v1/ by lms.api."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from officers.models import AuditAction
from officers.selectors import user_can_see_hr
from officers.services import audit_record

from .selectors import attach_completions, record_status, records_for

router = Router(tags=["hr"])


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
def hr_records(request: HttpRequest, fy: int | None = None, offset: int = 0, limit: int = 100):
    """Learning records in the caller's HR scope (agency subtree; all for administrators)."""
    if not user_can_see_hr(request.user):
        raise HttpError(403, "เฉพาะเจ้าหน้าที่งานบุคคล / HR staff only")
    if offset < 0 or not 1 <= limit <= 1000:
        raise HttpError(400, "offset/limit ไม่ถูกต้อง / Invalid offset or limit")
    if fy is not None:
        fy = fy - 543 if fy > 2400 else fy
        if not 1990 <= fy <= 2200:
            raise HttpError(400, "ปีงบประมาณไม่ถูกต้อง / Invalid fiscal year")
    qs = records_for(request.user, fy=fy)
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORT,
        what="learning records (api)",
        scope=f"fy={fy or ''} offset={offset}",
        path=request.get_full_path(),
    )
    rows = attach_completions(list(qs[offset : offset + limit]), fy=fy)
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


@router.get("/me/record")
def my_record(request: HttpRequest):
    """The caller's own learning record (PDPA right of access), machine-readable."""
    from .views import learning_record

    return learning_record(request.user)
