"""HR pages and exports (agency HR: own subtree; administrators: all).

Thin: input goes through hr.forms (units from the scoping layer), writes through
hr.services; a refused request is mapped to HTTP here (400 with the reason, 403 out of
scope, 404 not found), never a 500.
"""

from __future__ import annotations

import datetime as dt
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
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
from django.views.decorators.http import require_GET, require_POST

from common.errors import ShownBadRequest, ShownNotFound, ShownPermissionDenied
from common.thai_dates import buddhist_year, fiscal_year
from courses.models import CoursePage
from officers.models import AuditAction
from officers.reauth import reauthentication_required
from officers.scoping import agencies_visible_to, officer_visible_to, user_can_see_hr
from officers.services import audit_record
from progress.record.selectors import enrolments_of, transcript_of

from . import exports
from .forms import (
    AssignmentEditForm,
    AssignmentForm,
    AssistedCompletionForm,
    CoverageForm,
    OfficerFilterForm,
    RecordFilterForm,
    form_refusal,
    one_language,
)
from .selectors import (
    STATUSES,
    assignment_coverage,
    assignment_visible_to,
    assignments_visible_to,
    at_risk_for,
    dashboard_for,
    headline_for,
    officer_rows,
    officers_list,
    overdue_for,
    records_iter,
)
from .services import (
    HrError,
    HrNotFound,
    HrOutOfScope,
    assignment_cancel,
    assignment_create,
    assignment_enrol_progress,
    assignment_update,
    assisted_completion_record,
)

UNITS_PER_PAGE = 30


def _text(message: str, status: int) -> HttpResponse:
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def _bad(message: str) -> HttpResponse:
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


def refusal_status(exc: HrError) -> int:
    """The HTTP status of a refused HR request (the one mapping of domain errors)."""
    if isinstance(exc, HrNotFound):
        return 404
    if isinstance(exc, HrOutOfScope):
        return 403
    return 400


def hr_view(view):
    """HR staff only: an anonymous visitor is sent to sign in, anyone else gets 403;
    refusals from the services become 400/403/404 with their message."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not user_can_see_hr(request.user):
            raise PermissionDenied
        try:
            return view(request, *args, **kwargs)
        except HrError as exc:  # the styled error page, with the service's message
            status = refusal_status(exc)
            shown = {403: ShownPermissionDenied, 404: ShownNotFound}.get(status, ShownBadRequest)
            raise shown(exc.message) from exc

    return wrapper


def _record_filters(request) -> dict:
    form = RecordFilterForm(request.GET, user=request.user)
    if not form.is_valid():
        status, message = form_refusal(form)
        raise (HrOutOfScope if status == 403 else HrError)(message)
    return form.filters()


def _scope_label(filters: dict) -> str:
    return ",".join(f"{k}={v}" for k, v in filters.items() if v)


@hr_view
def dashboard(request):
    f = _record_filters(request)
    data = dashboard_for(request.user, fy=f["fy"], agency_id=f["agency_id"])
    today = timezone.localdate()
    overdue = overdue_for(request.user, today=today, limit=200)
    headline = headline_for(request.user, today=today)
    at_risk = at_risk_for(request.user, today=today)
    audit_record(
        actor=request.user,
        action=AuditAction.VIEW,
        what="hr dashboard",
        scope=_scope_label(f),
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
            "label": _("ร้อยละที่สำเร็จ"),
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
            "headline": headline,
            "at_risk": at_risk,
            "at_risk_days": settings.HR_AT_RISK_DAYS_LEFT,
            "idle_days": settings.HR_AT_RISK_IDLE_DAYS,
            "chart": chart,
            "fy": f["fy"],
            "fy_choices": [(fy, buddhist_year(fy)) for fy in range(current_fy, current_fy - 5, -1)],
            "units": agencies_visible_to(request.user).order_by("path"),
            "unit": f["agency_id"],
            "assignments": assignments_visible_to(request.user)[:100],
            "query": keep.urlencode(),
            "units_page": units_page,
        },
    )


def status_labels() -> dict[str, str]:
    """Thai (or English) labels of the stable status codes."""
    return {
        "not_started": _("ยังไม่เริ่ม"),
        "in_progress": _("กำลังเรียน"),
        "completed": _("เรียนจบแล้ว"),
        "overdue": _("เกินกำหนด"),
    }


@require_GET
@hr_view
def officers_page(request):
    """The HR user's officers (scoped), searchable and filtered, a page at a time."""
    form = OfficerFilterForm(request.GET, user=request.user)
    if not form.is_valid():
        status, message = form_refusal(form)
        raise (HrOutOfScope if status == 403 else HrError)(message)
    f = form.filters()
    qs = officers_list(request.user, **f)
    page = Paginator(qs, settings.HR_OFFICERS_PER_PAGE).get_page(request.GET.get("page"))
    audit_record(
        actor=request.user,
        action=AuditAction.VIEW,
        what="hr officers list",
        scope=_scope_label(f),
        path=request.get_full_path(),
    )
    keep = request.GET.copy()
    keep.pop("page", None)
    from officers.models import PositionLevel, PositionType

    return render(
        request,
        "hr/officers.html",
        {
            "rows": officer_rows(request.user, list(page)),
            "page": page,
            "filters": f,
            "query": keep.urlencode(),
            "units": agencies_visible_to(request.user).order_by("path"),
            "positions": [
                (v, one_language(str(label)))
                for v, label in list(PositionType.choices) + list(PositionLevel.choices)
            ],
            "statuses": [(s, status_labels()[s]) for s in STATUSES],
        },
    )


@hr_view
def officer_transcript(request, user_id: int):
    profile = officer_visible_to(request.user, officer_user_id=user_id)
    if profile is None:
        raise Http404(_("ไม่พบเจ้าหน้าที่"))
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


@hr_view
@reauthentication_required
def _export(request, kind: str):
    f = _record_filters(request)
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORT,
        what=f"learning records ({kind})",
        scope=_scope_label(f),
        path=request.get_full_path(),
    )
    rows = records_iter(request.user, chunk=exports.CHUNK, **f)
    stamp = timezone.localdate().isoformat()
    agency = exports.file_agency(request.user, f["agency_id"])
    if kind == "xlsx":
        era = request.GET.get("era", "be")
        if era not in ("be", "ce"):
            raise HrError(_("ศักราชไม่ถูกต้อง (be หรือ ce)"))
        return FileResponse(
            exports.xlsx_file(rows, buddhist=era == "be"),
            as_attachment=True,
            filename=f"learning-records-{agency}-{stamp}.xlsx",
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    columns, to_row, name = (
        (exports.DPIS_COLUMNS, exports.dpis_row, f"dpis-training-{agency}-{stamp}.csv")
        if kind == "dpis"
        else (exports.CSV_COLUMNS, exports.record_row, f"learning-records-{agency}-{stamp}.csv")
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


@require_POST
@hr_view
def assisted_new(request, user_id: int):
    form = AssistedCompletionForm(request.POST)
    if not form.is_valid():
        return _text(*reversed(form_refusal(form)))
    day = form.cleaned_data["completed_on"]
    assisted_completion_record(
        recorded_by=request.user,
        officer_user_id=user_id,
        course=form.cleaned_data["course"],
        evidence=form.cleaned_data["evidence"],
        completed_at=timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0))) if day else None,
    )
    return redirect("hr:officer", user_id=user_id)


def _coverage_of(form) -> int | None:
    """Officers the (partly) filled assignment form would cover, when its unit is valid."""
    data = getattr(form, "cleaned_data", None) or {}
    unit = data.get("unit")
    if unit is None:
        return None
    return assignment_coverage(
        agency=unit,
        position_types=data.get("position_types") or [],
        position_levels=data.get("position_levels") or [],
    )


def _assignment_form_page(request, form: AssignmentForm, status: int = 200) -> HttpResponse:
    return render(
        request,
        "hr/assignment_form.html",
        {"form": form, "coverage": _coverage_of(form) if form.is_bound else None},
        status=status,
    )


@require_GET
@hr_view
def assignment_coverage_view(request):
    """JSON ``{"count": n}``: how many officers an assignment to ?unit= (and positions)
    would cover, shown on the form before it is saved."""
    form = CoverageForm(request.GET, user=request.user)
    if not form.is_valid():
        status, message = form_refusal(form)
        return JsonResponse({"error": message}, status=status)
    count = _coverage_of(form)
    return JsonResponse({"count": count, "label": _("มอบหมายให้เจ้าหน้าที่ %(n)s คน") % {"n": count}})


@hr_view
def assignment_form(request):
    return _assignment_form_page(request, AssignmentForm(user=request.user))


@require_POST
@hr_view
def assignment_new(request):
    """Create the assignment; its officers are enrolled on a worker, and the assignment's
    page follows the job."""
    form = AssignmentForm(request.POST, user=request.user)
    if not form.is_valid():
        return _assignment_form_page(request, form, status=form_refusal(form)[0])
    data = form.cleaned_data
    assignment = assignment_create(
        created_by=request.user,
        course=data["course"],
        agency=data["unit"],
        due_date=data["due_date"],
        position_types=data["position_types"],
        position_levels=data["position_levels"],
        recurrence=data["recurrence"],
    )
    messages.success(
        request,
        _("มอบหมายหลักสูตร %(course)s ให้เจ้าหน้าที่ %(n)s คนแล้ว กำลังลงทะเบียนผู้เรียน")
        % {"course": assignment.course.title, "n": _coverage_of(form)},
    )
    return redirect("hr:assignment", assignment_id=assignment.pk)


def _assignment_for(request, assignment_id: int):
    assignment = assignment_visible_to(request.user, assignment_id)
    if assignment is None:
        raise HrNotFound(_("ไม่พบการมอบหมาย"))
    return assignment


@require_GET
@hr_view
def assignment_page(request, assignment_id: int):
    """The assignment and its enrolment job's progress bar."""
    assignment = _assignment_for(request, assignment_id)
    return render(
        request,
        "hr/assignment.html",
        {"assignment": assignment, "state": assignment_enrol_progress(assignment)},
    )


@require_GET
@hr_view
def assignment_status(request, assignment_id: int):
    """JSON polled by the progress bar."""
    return JsonResponse(assignment_enrol_progress(_assignment_for(request, assignment_id)))


@hr_view
def assignment_edit(request, assignment_id: int):
    """Change the due date or recurrence (GET: the form; POST: save, audited)."""
    assignment = _assignment_for(request, assignment_id)
    if request.method == "POST":
        form = AssignmentEditForm(request.POST)
        if form.is_valid():
            assignment_update(
                updated_by=request.user,
                assignment=assignment,
                due_date=form.cleaned_data["due_date"],
                recurrence=form.cleaned_data["recurrence"],
            )
            messages.success(request, _("บันทึกการแก้ไขการมอบหมายแล้ว"))
            return redirect("hr:assignment", assignment_id=assignment.pk)
        status = form_refusal(form)[0]
    else:
        form = AssignmentEditForm(
            initial={"due_date": assignment.due_date, "recurrence": assignment.recurrence}
        )
        status = 200
    return render(
        request,
        "hr/assignment_edit.html",
        {"form": form, "assignment": assignment},
        status=status,
    )


@require_POST
@hr_view
def assignment_cancel_view(request, assignment_id: int):
    assignment_cancel(cancelled_by=request.user, assignment=_assignment_for(request, assignment_id))
    messages.success(request, _("ยกเลิกการมอบหมายแล้ว ผู้เรียนยังเรียนต่อได้"))
    return redirect("hr:dashboard")


# --- The officer's own page (PDPA right of access) ---
