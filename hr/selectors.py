"""Reads for HR: learning records, dashboard aggregates, overdue lists, transcripts.

Every query starts from officers.selectors (the one scoping selector).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from common.thai_dates import fiscal_year_bounds
from courses.models import CoursePage, CourseSkillTarget
from officers.models import Agency
from officers.selectors import agencies_visible_to, officer_scope_q, user_is_administrator
from progress.models import Certificate, CourseCompletion, Enrolment

from .models import Assignment

PROFILE = "user__officer_profile__"


def _scoped_enrolments(viewer) -> QuerySet[Enrolment]:
    q = officer_scope_q(viewer, PROFILE)
    qs = Enrolment.objects.all()
    return qs if q is None else qs.filter(q)


def _fy_range(fy: int | None) -> tuple[dt.datetime, dt.datetime] | None:
    if not fy:
        return None
    start, end = fiscal_year_bounds(fy)
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
    )


COMPLETION_FIELDS = (
    "completed_at",
    "assisted",
    "learning_minutes",
    "score",
    "reason",
    "evidence",
    "recorded_by_username",
)


def records_for(
    viewer,
    *,
    fy: int | None = None,
    agency_id: int | None = None,
    course_id: int | None = None,
) -> QuerySet:
    """One row (a dict) per (officer, course) enrolment in the viewer's scope, ordered by
    id; ``attach_completions`` adds the completion (within fiscal year ``fy``) if any."""
    qs = _scoped_enrolments(viewer)
    if agency_id:
        unit = Agency.objects.filter(pk=agency_id).first()
        qs = qs.filter(**{f"{PROFILE}agency__path__startswith": unit.path if unit else "\0"})
    if course_id:
        qs = qs.filter(course_id=course_id)
    return qs.values(
        "id",
        "user_id",
        "course_id",
        "enrolled_at",
        "source",
        username=F("user__username"),
        course_title=F("course__title"),
        title_th=F(f"{PROFILE}title_th"),
        rank_title=F(f"{PROFILE}rank_title"),
        first_name_th=F(f"{PROFILE}first_name_th"),
        last_name_th=F(f"{PROFILE}last_name_th"),
        citizen_id_last4=F(f"{PROFILE}citizen_id_last4"),
        unit_code=F(f"{PROFILE}agency__code"),
        unit_name=F(f"{PROFILE}agency__name"),
    ).order_by("id")


def attach_completions(rows: list[dict], *, fy: int | None = None) -> list[dict]:
    """Join each row's course completion (one query for the whole batch)."""
    if not rows:
        return rows
    qs = CourseCompletion.objects.filter(
        user_id__in={r["user_id"] for r in rows}, course_id__in={r["course_id"] for r in rows}
    )
    rng = _fy_range(fy)
    if rng:
        qs = qs.filter(completed_at__gte=rng[0], completed_at__lt=rng[1])
    # Oldest first, so the latest round's completion is the one kept per (officer, course).
    found = {
        (c["user_id"], c["course_id"]): c
        for c in qs.order_by("completed_at").values(
            "user_id",
            "course_id",
            "completed_at",
            "assisted",
            "learning_minutes",
            "score",
            "reason",
            "evidence",
            recorded_by_username=F("recorded_by__username"),
        )
    }
    empty = dict.fromkeys(COMPLETION_FIELDS)
    for row in rows:
        c = found.get((row["user_id"], row["course_id"]), empty)
        for name in COMPLETION_FIELDS:
            row[name] = c[name]  # type: ignore[literal-required]
    return rows


def records_iter(viewer, *, chunk: int = 2000, fy: int | None = None, **filters):
    """Stream every record in scope: keyset pages of ``chunk`` rows, two queries each,
    so memory stays flat however large the agency."""
    base = records_for(viewer, fy=fy, **filters)
    last = 0
    while True:
        rows = list(base.filter(id__gt=last)[:chunk])
        if not rows:
            return
        last = rows[-1]["id"]
        yield from attach_completions(rows, fy=fy)


def record_status(row: dict) -> str:
    if row["completed_at"]:
        return "completed"
    return "enrolled"


def thai_name(row: dict) -> str:
    prefix = row.get("rank_title") or row.get("title_th") or ""
    return f"{prefix}{row.get('first_name_th') or ''} {row.get('last_name_th') or ''}".strip()


@dataclass
class Dashboard:
    units: list[dict]
    courses: list[dict]
    cells: dict[tuple[int, int], tuple[int, int]]  # (unit_id, course_id) -> (done, total)
    skill_areas: list[dict]
    totals: dict


def _completions_by_unit_course(unit_ids: list[int], fy: int | None) -> dict:
    """``{(unit_id, course_id): officers}`` who completed, within fiscal year ``fy`` if
    given. An officer counts once: completions are one per round, and everyone who
    completed has a round 1, so without a year only round 1 is counted (a plain COUNT,
    half the cost of a DISTINCT); within a year, officers are counted DISTINCT."""
    qs = CourseCompletion.objects.filter(unit_id__in=unit_ids)
    rng = _fy_range(fy)
    if rng:
        qs = qs.filter(completed_at__gte=rng[0], completed_at__lt=rng[1])
        count = Count("user_id", distinct=True)
    else:
        qs = qs.filter(cycle=1)
        count = Count("*")
    rows = qs.values("unit_id", "course_id").annotate(n=count).order_by()
    return {(r["unit_id"], r["course_id"]): r["n"] for r in rows}


def dashboard_for(viewer, *, fy: int | None = None, agency_id: int | None = None) -> Dashboard:
    """Completion by unit x course and by skill area; a fixed number of queries.

    Two grouped counts, each one pass over one table: enrolments per (unit, course)
    and completions (within fiscal year ``fy``) per (unit, course). Both records carry
    the officer's current unit (``progress`` keeps it equal to the profile's), so no
    join with 100,000 profiles is needed. The units are those of the scoping selector
    (``agencies_visible_to``), so HR never counts another agency's officers. Course
    completion always enrols (``progress.services.course_complete``), so completed <=
    enrolled. Skill areas are summed from the cells in Python: no third pass.
    """
    units_qs = agencies_visible_to(viewer).order_by("path")
    if agency_id:
        unit = units_qs.filter(pk=agency_id).first()
        units_qs = units_qs.filter(path__startswith=unit.path) if unit else units_qs.none()
    units = list(units_qs.values("id", "code", "name", "depth", "path"))
    # A literal id list (not a subquery) lets PostgreSQL count straight off the
    # (unit, course) index in order: 45 ms rather than 110 ms at 300,000 enrolments.
    unit_ids = [u["id"] for u in units]
    enrolled = {
        (r["unit_id"], r["course_id"]): r["n"]
        for r in Enrolment.objects.filter(unit_id__in=unit_ids)
        .values("unit_id", "course_id")
        .annotate(n=Count("*"))
        .order_by()
    }
    done_by_cell = _completions_by_unit_course(unit_ids, fy)

    cells = {key: (done_by_cell.get(key, 0), n) for key, n in enrolled.items()}
    course_ids = {cid for _, cid in cells}
    courses = list(
        CoursePage.objects.filter(pk__in=course_ids).order_by("title").values("id", "title")
    )
    per_course: dict[int, list[int]] = {}
    for (_, cid), (done_n, total_n) in cells.items():
        acc = per_course.setdefault(cid, [0, 0])
        acc[0] += done_n
        acc[1] += total_n
    areas: dict[str, dict] = {}
    for target in CourseSkillTarget.objects.filter(course_id__in=course_ids).values(
        "course_id", area=F("skill_area__name_th"), area_en=F("skill_area__name_en")
    ):
        row = areas.setdefault(
            target["area"], {"area": target["area"], "area_en": target["area_en"]}
        )
        done_n, total_n = per_course[target["course_id"]]
        row["completed"] = row.get("completed", 0) + done_n
        row["total"] = row.get("total", 0) + total_n
    done = sum(c[0] for c in cells.values())
    total = sum(c[1] for c in cells.values())
    return Dashboard(
        units=units,
        courses=courses,
        cells=cells,
        skill_areas=[areas[name] for name in sorted(areas)],
        totals={
            "completed": done,
            "total": total,
            "percent": round(100 * done / total) if total else 0,
        },
    )


def assignments_visible_to(viewer) -> QuerySet[Assignment]:
    qs = Assignment.objects.select_related("course", "agency")
    if user_is_administrator(viewer):
        return qs
    return qs.filter(agency__in=agencies_visible_to(viewer))


def assignment_members(assignment: Assignment) -> QuerySet:
    """Officers an assignment covers: its unit subtree, narrowed by position filters."""
    User = get_user_model()
    qs = User.objects.filter(
        is_active=True, officer_profile__agency__path__startswith=assignment.agency.path
    )
    types, levels = assignment.position_types or [], assignment.position_levels or []
    if types or levels:
        qs = qs.filter(
            Q(officer_profile__position_type__in=types)
            | Q(officer_profile__position_level__in=levels)
        )
    return qs


def completions_meeting(assignment: Assignment, today: dt.date) -> QuerySet[CourseCompletion]:
    """Completions (of the officer in ``OuterRef("pk")``) that meet the assignment today."""
    qs = CourseCompletion.objects.filter(user_id=OuterRef("pk"), course_id=assignment.course_id)
    after = assignment.completions_count_after(today)
    return qs.filter(completed_at__date__gt=after) if after else qs


@dataclass
class OverdueRow:
    user_id: int
    username: str
    name: str
    unit: str
    course: str
    due_date: dt.date
    days_overdue: int


def overdue_for(viewer, *, today: dt.date | None = None, limit: int = 500) -> list[OverdueRow]:
    """Assigned officers in scope who have not completed by the current due date."""
    today = today or timezone.localdate()
    out: list[OverdueRow] = []
    scope = officer_scope_q(viewer, "officer_profile__")
    for a in assignments_visible_to(viewer):
        due = a.current_due_date(today)
        if due >= today:
            continue
        members = assignment_members(a)
        if scope is not None:
            members = members.filter(scope)
        members = (
            members.exclude(Exists(completions_meeting(a, today)))
            .select_related("officer_profile__agency")
            .order_by("officer_profile__agency__path", "username")[: limit - len(out)]
        )
        for u in members:
            p = u.officer_profile
            out.append(
                OverdueRow(
                    u.pk,
                    u.username,
                    p.display_name_th,
                    p.agency.name,
                    a.course.title,
                    due,
                    (today - due).days,
                )
            )
        if len(out) >= limit:
            break
    return out


def transcript_of(user) -> list[dict]:
    """An officer's completions with certificates; used for /me/ and HR transcripts."""
    completions = (
        CourseCompletion.objects.filter(user=user)
        .select_related("course", "recorded_by")
        .order_by("-completed_at")
    )
    certs = {
        c.completion_id: c
        for c in Certificate.objects.filter(completion__user=user).only(
            "completion_id", "code", "revoked_at", "pdf"
        )
    }
    return [
        {
            "course": c.course.title,
            "course_id": c.course_id,
            "cycle": c.cycle,
            "completed_at": c.completed_at,
            "reason": c.reason,
            "reason_label": c.get_reason_display(),
            "learning_hours": c.learning_hours,
            "score": c.score,
            "assisted": c.assisted,
            "recorded_by": c.recorded_by.get_username() if c.recorded_by else "",
            "evidence": c.evidence,
            "certificate": certs.get(c.pk),
        }
        for c in completions
    ]


def enrolments_of(user) -> QuerySet[Enrolment]:
    """The officer's enrolments; ``round_done`` says whether the current round is complete."""
    return (
        Enrolment.objects.filter(user=user)
        .annotate(
            round_done=Exists(
                CourseCompletion.objects.filter(
                    user_id=OuterRef("user_id"),
                    course_id=OuterRef("course_id"),
                    cycle=OuterRef("cycle"),
                )
            )
        )
        .select_related("course")
        .order_by("-enrolled_at")
    )
