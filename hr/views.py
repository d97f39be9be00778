"""HR pages and exports (agency HR: own subtree; administrators: all) and the officer's /me/."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.thai_dates import buddhist_year, fiscal_year
from courses.models import CoursePage
from officers.models import Agency, AuditAction, PositionLevel, PositionType
from officers.selectors import agencies_visible_to, officer_visible_to, user_can_see_hr
from officers.services import audit_record
from progress.services import RestartError, course_restart

from . import exports
from .models import Recurrence
from .selectors import (
    assignments_visible_to,
    dashboard_for,
    enrolments_of,
    overdue_for,
    records_iter,
    transcript_of,
)
from .services import HrError, assignment_create, assisted_completion_record


class BadParam(ValueError):
    pass


def _require_hr(request) -> None:
    if not request.user.is_authenticated:
        raise PermissionDenied
    if not user_can_see_hr(request.user):
        raise PermissionDenied


UNITS_PER_PAGE = 30


def _bad(message: str) -> HttpResponse:
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


def _int_param(request, name: str) -> int | None:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 12:
        raise BadParam(f"พารามิเตอร์ {name} ไม่ถูกต้อง / Invalid parameter {name}")
    return int(raw)


def _filters(request) -> dict:
    """?fy= (fiscal year, Buddhist or Common Era), ?unit= (agency id), ?course= (id)."""
    fy = _int_param(request, "fy")
    if fy is not None:
        fy = fy - 543 if fy > 2400 else fy
        if not 1990 <= fy <= 2200:
            raise BadParam("ปีงบประมาณไม่ถูกต้อง / Invalid fiscal year")
    unit = _int_param(request, "unit")
    if unit is not None and not agencies_visible_to(request.user).filter(pk=unit).exists():
        raise BadParam("หน่วยงานไม่ถูกต้อง / Unknown unit")
    return {"fy": fy, "agency_id": unit, "course_id": _int_param(request, "course")}


def _scope_label(request, filters: dict) -> str:
    return ",".join(f"{k}={v}" for k, v in filters.items() if v)


def dashboard(request):
    _require_hr(request)
    try:
        f = _filters(request)
    except BadParam as exc:
        return _bad(str(exc))
    data = dashboard_for(request.user, fy=f["fy"], agency_id=f["agency_id"])
    today = timezone.localdate()
    overdue = overdue_for(request.user, today=today, limit=200)
    audit_record(
        actor=request.user,
        action=AuditAction.VIEW,
        what="hr dashboard",
        scope=_scope_label(request, f),
        path=request.get_full_path(),
    )
    current_fy = fiscal_year(today)
    # The unit x course matrix (and its chart) a page of units at a time: an agency can
    # have hundreds of units; totals and skill areas above still cover them all.
    units_page = Paginator(data.units, UNITS_PER_PAGE).get_page(request.GET.get("page"))
    matrix = [
        {
            "unit": u,
            "cells": [
                f"{cell[0]}/{cell[1]}" if (cell := data.cells.get((u["id"], c["id"]))) else "–"
                for c in data.courses
            ],
        }
        for u in units_page
    ]
    chart = {
        "units": [u["name"] for u in units_page],
        "courses": [
            {
                "label": c["title"],
                "data": [
                    round(100 * cell[0] / cell[1])
                    if (cell := data.cells.get((u["id"], c["id"])))
                    else 0
                    for u in units_page
                ],
            }
            for c in data.courses
        ],
        "skills": {
            "labels": [s["area"] for s in data.skill_areas],
            "data": [
                round(100 * s["completed"] / s["total"]) if s["total"] else 0
                for s in data.skill_areas
            ],
        },
    }
    keep = request.GET.copy()
    keep.pop("page", None)
    return render(
        request,
        "hr/dashboard.html",
        {
            "data": data,
            "matrix": matrix,
            "overdue": overdue,
            "chart": chart,
            "fy": f["fy"],
            "fy_be": buddhist_year(f["fy"]) if f["fy"] else None,
            "fy_choices": [(fy, buddhist_year(fy)) for fy in range(current_fy, current_fy - 5, -1)],
            "units": agencies_visible_to(request.user).order_by("path"),
            "unit": f["agency_id"],
            "assignments": assignments_visible_to(request.user)[:100],
            "query": keep.urlencode(),
            "units_page": units_page,
        },
    )


def officer_transcript(request, user_id: int):
    _require_hr(request)
    profile = officer_visible_to(request.user, officer_user_id=user_id)
    if profile is None:
        raise Http404("ไม่พบเจ้าหน้าที่ / Officer not found")
    audit_record(
        actor=request.user,
        action=AuditAction.VIEW,
        what="officer transcript",
        subject=profile.user,
        path=request.path,
    )
    return render(
        request,
        "hr/transcript.html",
        {
            "profile": profile,
            "transcript": transcript_of(profile.user),
            "enrolments": enrolments_of(profile.user),
            "courses": CoursePage.objects.live().order_by("title").only("id", "title"),
            "today": timezone.localdate(),
        },
    )


def _export(request, kind: str):
    _require_hr(request)
    try:
        f = _filters(request)
    except BadParam as exc:
        return _bad(str(exc))
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORT,
        what=f"learning records ({kind})",
        scope=_scope_label(request, f),
        path=request.get_full_path(),
    )
    rows = records_iter(request.user, chunk=exports.CHUNK, **f)
    stamp = timezone.localdate().isoformat()
    if kind == "xlsx":
        return FileResponse(
            exports.xlsx_file(rows),
            as_attachment=True,
            filename=f"learning-records-{stamp}.xlsx",
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    columns, to_row, name = (
        (exports.DPIS_COLUMNS, exports.dpis_row, f"dpis-training-{stamp}.csv")
        if kind == "dpis"
        else (exports.CSV_COLUMNS, exports.record_row, f"learning-records-{stamp}.csv")
    )
    response = StreamingHttpResponse(
        exports.csv_stream(rows, columns, to_row), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def export_csv(request):
    return _export(request, "csv")


def export_xlsx(request):
    return _export(request, "xlsx")


def export_dpis(request):
    return _export(request, "dpis")


def _parse_date(raw: str) -> dt.date:
    try:
        return dt.date.fromisoformat(raw.strip())
    except (ValueError, AttributeError) as exc:
        raise HrError("วันที่ไม่ถูกต้อง (ปปปป-ดด-วว) / Invalid date (YYYY-MM-DD)") from exc


def _course(raw: str) -> CoursePage:
    course = CoursePage.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
    if course is None:
        raise HrError("ไม่พบหลักสูตร / Course not found")
    return course


@require_POST
def assignment_new(request):
    _require_hr(request)
    post = request.POST
    try:
        unit_raw = post.get("unit", "")
        agency = Agency.objects.filter(pk=int(unit_raw)).first() if unit_raw.isdigit() else None
        if agency is None:
            raise HrError("ไม่พบหน่วยงาน / Unit not found")
        assignment_create(
            created_by=request.user,
            course=_course(post.get("course", "")),
            agency=agency,
            due_date=_parse_date(post.get("due_date", "")),
            position_types=post.getlist("position_types"),
            position_levels=post.getlist("position_levels"),
            recurrence=post.get("recurrence") or Recurrence.NONE,
        )
    except HrError as exc:
        return HttpResponse(
            exc.message, status=exc.status, content_type="text/plain; charset=utf-8"
        )
    return redirect("hr:dashboard")


@require_POST
def assisted_new(request, user_id: int):
    _require_hr(request)
    post = request.POST
    try:
        raw_date = post.get("completed_on", "").strip()
        completed_at = None
        if raw_date:
            day = _parse_date(raw_date)
            completed_at = timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))
        assisted_completion_record(
            recorded_by=request.user,
            officer_user_id=user_id,
            course=_course(post.get("course", "")),
            evidence=post.get("evidence", ""),
            completed_at=completed_at,
        )
    except HrError as exc:
        return HttpResponse(
            exc.message, status=exc.status, content_type="text/plain; charset=utf-8"
        )
    return redirect("hr:officer", user_id=user_id)


def assignment_form_context(request) -> dict:
    return {
        "units": agencies_visible_to(request.user).order_by("path"),
        "courses": CoursePage.objects.live().order_by("title").only("id", "title"),
        "position_types": PositionType.choices,
        "position_levels": PositionLevel.choices,
        "recurrences": Recurrence.choices,
    }


def assignment_form(request):
    _require_hr(request)
    return render(request, "hr/assignment_form.html", assignment_form_context(request))


# --- The officer's own page (PDPA right of access) ---


@login_required
def me(request):
    return render(
        request,
        "hr/me.html",
        {
            "profile": getattr(request.user, "officer_profile", None),
            "transcript": transcript_of(request.user),
            "enrolments": enrolments_of(request.user),
        },
    )


@login_required
@require_POST
def me_course_again(request, course_id: int):
    """Open the next round of a course the officer has completed (a yearly refresher)."""
    course = CoursePage.objects.live().filter(pk=course_id).first()
    if course is None:
        raise Http404("ไม่พบหลักสูตร / Course not found")
    try:
        enrolment = course_restart(user=request.user, course=course)
    except RestartError as exc:
        return _bad(str(exc))
    messages.success(
        request,
        _(
            "เริ่มเรียนรอบที่ %(n)d แล้ว ใบประกาศนียบัตรเดิมยังใช้ได้ / "
            "Round %(n)d started; your earlier certificates stay valid"
        )
        % {"n": enrolment.cycle},
    )
    return redirect(course.get_url(request) or "hr:me")


def learning_record(user) -> dict:
    """The officer's learning record, machine-readable (JSON)."""
    profile = getattr(user, "officer_profile", None)
    return {
        "format": "lms-learning-record/1",
        "generated_at": timezone.now().isoformat(),
        "person": {
            "username": user.get_username(),
            "name_th": profile.display_name_th if profile else user.get_full_name(),
            "name_en": profile.display_name_en if profile else "",
            "email": (profile.email if profile else "") or user.email,
            "unit": profile.agency.name if profile else "",
            "position": profile.position_name if profile else "",
            "position_level": profile.position_level if profile else "",
            "citizen_id": profile.citizen_id_masked if profile else "",
        },
        "enrolments": [
            {
                "course": e.course.title,
                "course_id": e.course_id,
                "source": e.source,
                "enrolled_at": e.enrolled_at.isoformat(),
                "round": e.cycle,
            }
            for e in enrolments_of(user)
        ],
        "completions": [
            {
                "course": t["course"],
                "course_id": t["course_id"],
                "round": t["cycle"],
                "completed_at": t["completed_at"].isoformat(),
                "reason": t["reason"],
                "learning_hours": t["learning_hours"],
                "score": t["score"],
                "assisted": t["assisted"],
                "recorded_by": t["recorded_by"],
                "evidence": t["evidence"],
                "certificate_code": t["certificate"].code if t["certificate"] else None,
                "certificate_valid": t["certificate"].is_valid if t["certificate"] else None,
            }
            for t in transcript_of(user)
        ],
    }


@login_required
def me_record_json(request):
    response = JsonResponse(
        learning_record(request.user), json_dumps_params={"ensure_ascii": False}
    )
    response["Content-Disposition"] = 'attachment; filename="my-learning-record.json"'
    return response
