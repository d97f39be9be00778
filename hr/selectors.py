"""Reads for HR: learning records, dashboard aggregates, overdue lists, officers' due dates.

Every query starts from officers.scoping (the one scoping selector).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet
from django.utils import timezone

from common.thai_dates import fiscal_year_bounds
from courses.models import CoursePage, CourseSkillTarget
from officers.models import Agency, OfficerProfile
from officers.scoping import (
    agencies_visible_to,
    officer_scope_q,
    officers_visible_to,
    subtree_q,
    user_can_see_hr,
    user_is_administrator,
)
from progress.models import CourseCompletion, Enrolment, LessonCompletion, WatchProgress

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
        qs = qs.filter(subtree_q(Agency.objects.filter(pk=agency_id).first(), f"{PROFILE}agency"))
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
    """Stream every record in scope: keyset pages of ``chunk`` rows, three queries each,
    so memory stays flat however large the agency (only the overdue pairs are held)."""
    base = records_for(viewer, fy=fy, **filters)
    overdue = overdue_pairs(viewer)
    last = 0
    while True:
        rows = list(base.filter(id__gt=last)[:chunk])
        if not rows:
            return
        last = rows[-1]["id"]
        rows = attach_completions(rows, fy=fy)
        started = started_pairs([r for r in rows if not r["completed_at"]])
        for row in rows:
            key = (row["user_id"], row["course_id"])
            row["status"] = (
                STATUS_COMPLETED
                if row["completed_at"]
                else STATUS_OVERDUE
                if key in overdue
                else STATUS_IN_PROGRESS
                if key in started
                else STATUS_NOT_STARTED
            )
        yield from rows


# Stable status codes (CSV, API); their Thai labels are in hr.exports / the templates.
STATUS_NOT_STARTED = "not_started"
STATUS_IN_PROGRESS = "in_progress"
STATUS_COMPLETED = "completed"
STATUS_OVERDUE = "overdue"
STATUSES = (STATUS_NOT_STARTED, STATUS_IN_PROGRESS, STATUS_COMPLETED, STATUS_OVERDUE)


def record_status(row: dict) -> str:
    if row.get("status"):
        return row["status"]
    return STATUS_COMPLETED if row["completed_at"] else STATUS_NOT_STARTED


def started_pairs(rows: list[dict]) -> set[tuple[int, int]]:
    """The (officer, course) pairs of ``rows`` with some lesson activity (a lesson
    completed or media played): two queries."""
    if not rows:
        return set()
    users = {r["user_id"] for r in rows}
    paths = dict(
        CoursePage.objects.filter(pk__in={r["course_id"] for r in rows}).values_list("path", "pk")
    )
    found: set[tuple[int, int]] = set()
    for model in (LessonCompletion, WatchProgress):
        for user_id, lesson_path in (
            model.objects.filter(user_id__in=users)
            .values_list("user_id", "lesson__path")
            .distinct()
        ):
            for path, course_id in paths.items():
                if lesson_path.startswith(path):
                    found.add((user_id, course_id))
    wanted = {(r["user_id"], r["course_id"]) for r in rows}
    return found & wanted


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
    completion always enrols (``progress.completion.services.course_complete``), so completed <=
    enrolled. Skill areas are summed from the cells in Python: no third pass.
    """
    units_qs = agencies_visible_to(viewer).order_by("path")
    if agency_id:
        units_qs = units_qs.filter(subtree_q(units_qs.filter(pk=agency_id).first(), ""))
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


def assignment_visible_to(viewer, assignment_id: int) -> Assignment | None:
    """One assignment (and its enrolment job) if ``viewer`` may see it: HR of the unit's
    agency (its subtree), its creator while HR, or an administrator; else None."""
    if not user_can_see_hr(viewer):
        return None
    qs = Assignment.objects.select_related("course", "agency", "created_by")
    if not user_is_administrator(viewer):
        qs = qs.filter(Q(agency__in=agencies_visible_to(viewer)) | Q(created_by=viewer))
    return qs.filter(pk=assignment_id).first()


def assignment_members(assignment: Assignment) -> QuerySet:
    """Officers an assignment covers: its unit subtree, narrowed by position filters."""
    User = get_user_model()
    qs = User.objects.filter(
        subtree_q(assignment.agency, "officer_profile__agency"), is_active=True
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


def due_dates_of(user, *, today: dt.date | None = None) -> dict[int, dt.date]:
    """The officer's current due date per assigned course (the earliest when several
    assignments cover them): assignments to their unit or a unit above it whose position
    filters, if any, include them (as ``assignment_members`` counts them)."""
    profile = OfficerProfile.objects.filter(user_id=user.pk).select_related("agency").first()
    if profile is None:
        return {}
    today = today or timezone.localdate()
    agency = profile.agency
    assignments = Assignment.objects.filter(
        Q(agency=agency) | Q(agency__in=agency.get_ancestors())
    ).only("course_id", "due_date", "recurrence", "position_types", "position_levels")
    due: dict[int, dt.date] = {}
    for a in assignments:
        types, levels = a.position_types or [], a.position_levels or []
        if (types or levels) and not (
            profile.position_type in types or profile.position_level in levels
        ):
            continue
        day = a.current_due_date(today)
        due[a.course_id] = min(due.get(a.course_id, day), day)
    return due


# --- Officers list, headline numbers, at-risk list ---


def _scoped_members(viewer, assignment: Assignment) -> QuerySet:
    members = assignment_members(assignment)
    scope = officer_scope_q(viewer, "officer_profile__")
    return members if scope is None else members.filter(scope)


def overdue_pairs(viewer, *, today: dt.date | None = None) -> set[tuple[int, int]]:
    """(officer, course) pairs in scope past their current due date and not met."""
    today = today or timezone.localdate()
    pairs: set[tuple[int, int]] = set()
    for a in assignments_visible_to(viewer):
        if a.current_due_date(today) >= today:
            continue
        members = _scoped_members(viewer, a).exclude(Exists(completions_meeting(a, today)))
        pairs.update((pk, a.course_id) for pk in members.values_list("pk", flat=True))
    return pairs


def _activity_in(course_path: str, user_ref: str = "pk", since: dt.datetime | None = None):
    """Exists() of a lesson completion or playback of a lesson under the course."""
    lessons = LessonCompletion.objects.filter(
        user_id=OuterRef(user_ref), lesson__path__startswith=course_path
    )
    plays = WatchProgress.objects.filter(
        user_id=OuterRef(user_ref), lesson__path__startswith=course_path
    )
    if since is not None:
        lessons = lessons.filter(completed_at__gte=since)
        plays = plays.filter(updated_at__gte=since)
    return Exists(lessons) | Exists(plays)


def _open_enrolments():
    """Enrolments of the officer in ``OuterRef("user_id")`` without a completion."""
    return Enrolment.objects.filter(user_id=OuterRef("user_id")).exclude(
        Exists(
            CourseCompletion.objects.filter(
                user_id=OuterRef("user_id"), course_id=OuterRef("course_id")
            )
        )
    )


def _open_enrolments_started():
    return _open_enrolments().filter(
        Exists(
            LessonCompletion.objects.filter(
                user_id=OuterRef("user_id"), lesson__path__startswith=OuterRef("course__path")
            )
        )
        | Exists(
            WatchProgress.objects.filter(
                user_id=OuterRef("user_id"), lesson__path__startswith=OuterRef("course__path")
            )
        )
    )


def officers_list(
    viewer,
    *,
    q: str = "",
    agency_id: int | None = None,
    position: str = "",
    status: str = "",
    today: dt.date | None = None,
) -> QuerySet[OfficerProfile]:
    """The viewer's officers (officers.scoping), searched by name, username or position
    and filtered by unit subtree, position level and assignment status."""
    qs = officers_visible_to(viewer).filter(user__is_active=True)
    if agency_id:
        qs = qs.filter(subtree_q(Agency.objects.filter(pk=agency_id).first(), "agency"))
    if q:
        words = q.split()[:5]
        for word in words:
            qs = qs.filter(
                Q(first_name_th__icontains=word)
                | Q(last_name_th__icontains=word)
                | Q(first_name_en__icontains=word)
                | Q(last_name_en__icontains=word)
                | Q(user__username__icontains=word)
                | Q(position_name__icontains=word)
            )
    if position:
        qs = qs.filter(Q(position_level=position) | Q(position_type=position))
    if status == STATUS_COMPLETED:
        qs = qs.filter(Exists(Enrolment.objects.filter(user_id=OuterRef("user_id")))).exclude(
            Exists(_open_enrolments())
        )
    elif status == STATUS_IN_PROGRESS:
        qs = qs.filter(Exists(_open_enrolments_started()))
    elif status == STATUS_NOT_STARTED:
        qs = qs.filter(
            Exists(_open_enrolments().exclude(pk__in=_open_enrolments_started().values("pk")))
        )
    elif status == STATUS_OVERDUE:
        users = {u for u, _c in overdue_pairs(viewer, today=today)}
        qs = qs.filter(user_id__in=users)
    return qs.order_by("agency__path", "first_name_th", "last_name_th", "user_id")


@dataclass
class OfficerRow:
    profile: OfficerProfile
    enrolled: int
    completed: int
    overdue: int
    last_activity: dt.datetime | None


def officer_rows(viewer, profiles: list[OfficerProfile]) -> list[OfficerRow]:
    """Counts and last activity for one page of officers (a few grouped queries)."""
    ids = [p.user_id for p in profiles]
    enrolled = dict(
        Enrolment.objects.filter(user_id__in=ids)
        .values("user_id")
        .annotate(n=Count("*"))
        .values_list("user_id", "n")
    )
    completed = dict(
        CourseCompletion.objects.filter(user_id__in=ids)
        .values("user_id")
        .annotate(n=Count("course_id", distinct=True))
        .values_list("user_id", "n")
    )
    last: dict[int, dt.datetime] = {}
    for model, field in (
        (LessonCompletion, "completed_at"),
        (WatchProgress, "updated_at"),
        (CourseCompletion, "completed_at"),
    ):
        for user_id, when in (
            model.objects.filter(user_id__in=ids)
            .values("user_id")
            .annotate(m=Max(field))
            .values_list("user_id", "m")
        ):
            if when and (user_id not in last or when > last[user_id]):
                last[user_id] = when
    overdue: dict[int, int] = {}
    wanted = set(ids)
    for user_id, _course in overdue_pairs(viewer):
        if user_id in wanted:
            overdue[user_id] = overdue.get(user_id, 0) + 1
    return [
        OfficerRow(
            p,
            enrolled.get(p.user_id, 0),
            completed.get(p.user_id, 0),
            overdue.get(p.user_id, 0),
            last.get(p.user_id),
        )
        for p in profiles
    ]


def headline_for(viewer, *, today: dt.date | None = None) -> dict:
    """Assigned (officer, course) pairs in scope, how many are completed, overdue, and the
    share completed by the due date (percent of those assigned)."""
    today = today or timezone.localdate()
    assigned = completed = on_time = overdue = 0
    for a in assignments_visible_to(viewer):
        due = a.current_due_date(today)
        members = _scoped_members(viewer, a)
        meeting = completions_meeting(a, today)
        n = members.count()
        done = members.filter(Exists(meeting)).count()
        on_time += members.filter(Exists(meeting.filter(completed_at__date__lte=due))).count()
        assigned += n
        completed += done
        if due < today:
            overdue += n - done
    return {
        "assigned": assigned,
        "completed": completed,
        "overdue": overdue,
        "on_time_percent": round(100 * on_time / assigned) if assigned else 0,
    }


@dataclass
class AtRiskRow:
    user_id: int
    name: str
    unit: str
    course: str
    due_date: dt.date
    days_left: int
    reason: str  # "not_started" or "idle"


def at_risk_for(
    viewer,
    *,
    today: dt.date | None = None,
    days_left: int | None = None,
    idle_days: int | None = None,
    limit: int = 200,
) -> list[AtRiskRow]:
    """Assigned officers in scope, not yet overdue or done, who have not started with
    fewer than ``days_left`` days to go, or have done nothing in the course for
    ``idle_days`` days (settings HR_AT_RISK_DAYS_LEFT, HR_AT_RISK_IDLE_DAYS)."""
    today = today or timezone.localdate()
    days_left = settings.HR_AT_RISK_DAYS_LEFT if days_left is None else days_left
    idle_days = settings.HR_AT_RISK_IDLE_DAYS if idle_days is None else idle_days
    tz = timezone.get_current_timezone()
    cutoff = dt.datetime.combine(today - dt.timedelta(days=idle_days), dt.time.min, tzinfo=tz)
    out: list[AtRiskRow] = []
    for a in assignments_visible_to(viewer):
        due = a.current_due_date(today)
        left = (due - today).days
        if left < 0:
            continue
        path = a.course.path
        members = (
            _scoped_members(viewer, a)
            .exclude(Exists(completions_meeting(a, today)))
            .annotate(started=_activity_in(path), recent=_activity_in(path, since=cutoff))
        )
        risky = Q(recent=False) & Q(
            Exists(
                Enrolment.objects.filter(
                    user_id=OuterRef("pk"), course_id=a.course_id, enrolled_at__lt=cutoff
                )
            )
        )
        if left < days_left:
            risky |= Q(started=False)
        members = (
            members.filter(risky)
            .select_related("officer_profile__agency")
            .order_by("officer_profile__agency__path", "username")[: limit - len(out)]
        )
        for u in members:
            p = u.officer_profile
            out.append(
                AtRiskRow(
                    u.pk,
                    p.display_name_th,
                    p.agency.name,
                    a.course.title,
                    due,
                    left,
                    "not_started" if not u.started and left < days_left else "idle",
                )
            )
        if len(out) >= limit:
            break
    return out


def assignment_coverage(
    *, agency: Agency, position_types: list[str], position_levels: list[str]
) -> int:
    """How many officers an assignment with these filters would cover (the preview)."""
    probe = Assignment(
        agency=agency, position_types=position_types, position_levels=position_levels
    )
    return assignment_members(probe).count()


def assignment_duplicate(
    *,
    course_id: int,
    agency_id: int,
    position_types: list[str],
    position_levels: list[str],
    exclude_pk: int | None = None,
) -> Assignment | None:
    """An existing assignment of the same course to the same unit and positions."""
    types, levels = sorted(set(position_types)), sorted(set(position_levels))
    qs = Assignment.objects.filter(course_id=course_id, agency_id=agency_id)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    for a in qs:
        if sorted(a.position_types or []) == types and sorted(a.position_levels or []) == levels:
            return a
    return None
