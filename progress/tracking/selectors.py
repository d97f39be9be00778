"""Reads for tracking: the heartbeat's one-query snapshot and an officer's progress in a
lesson (coverage, missing ranges, resume point)."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.db import connection
from django.utils.dateparse import parse_datetime
from wagtail.models import Page

from courses.models import LessonPage
from progress import segments as seg
from progress.models import LessonCompletion, ViewingSession, WatchLanes, WatchProgress


def clip_duration(lesson: LessonPage) -> float:
    """Seconds of the lesson's clip, 0 when there is no usable clip."""
    clip = lesson.clip
    if clip is None:
        return 0.0
    duration = float(clip.duration or 0)
    if duration <= 0:
        sources = clip.player_sources() or {}
        duration = float(sources.get("duration") or 0)
    return duration


@dataclass(frozen=True)
class LessonFacts:
    """What a heartbeat needs of a live lesson: read in one narrow query, not a page load."""

    pk: int
    clip_id: int | None
    duration: float
    watched_fraction: float

    @classmethod
    def of(cls, lesson: LessonPage) -> LessonFacts:
        clip = lesson.clip if lesson.clip_id else None
        return cls(
            pk=lesson.pk,
            clip_id=lesson.clip_id,
            duration=float(clip.duration or 0) if clip is not None else 0.0,
            watched_fraction=lesson.watched_fraction,
        )


@dataclass(frozen=True)
class SessionFacts:
    """The viewing session a heartbeat names, as recorded when the page issued it."""

    key: str
    user_id: int
    lesson_id: int
    issued_at: datetime


@dataclass(frozen=True)
class HeartbeatSnapshot:
    facts: LessonFacts
    progress: WatchProgress | None
    session: SessionFacts | None
    lanes: dict
    lanes_revision: int | None  # None: the officer has no WatchLanes row yet


@functools.cache
def _snapshot_sql() -> str:
    """The heartbeat's read, written once from the models' own table and column names.

    It runs on every heartbeat of every officer, so it skips the ORM's per-call query
    compilation (most of the cost of so small a query); only identifiers are built
    in, every value is a parameter. Every join is on a unique key.
    """
    q = connection.ops.quote_name
    page, lesson, clip, watch, vs, lanes = (
        m._meta
        for m in (
            Page,
            LessonPage,
            LessonPage.clip.field.related_model,
            WatchProgress,
            ViewingSession,
            WatchLanes,
        )
    )

    def col(meta, name: str) -> str:
        return f"{q(meta.db_table)}.{q(meta.get_field(name).column)}"

    lesson_pk = f"{q(lesson.db_table)}.{q(lesson.pk.column)}"
    return (  # noqa: S608 - identifiers from _meta, quoted; every value is a parameter
        "SELECT {lesson_clip}, {duration}, {threshold}, {w_id}, {w_segments}, {w_sessions},"
        " {w_revision}, {w_completed}, {w_allowance}, {w_allowance_at},"
        " {vs_user}, {vs_lesson}, {vs_issued}, {l_lanes}, {l_revision}"
        " FROM {lesson} INNER JOIN {page} ON {page_id} = {lesson_pk}"
        " LEFT OUTER JOIN {clip} ON {clip_id} = {lesson_clip}"
        " LEFT OUTER JOIN {watch} ON {w_lesson} = {lesson_pk} AND {w_user} = %s"
        " LEFT OUTER JOIN {vs} ON {vs_key} = %s"
        " LEFT OUTER JOIN {lanes} ON {l_user} = %s"
        " WHERE {lesson_pk} = %s AND {live} = %s"
    ).format(
        lesson=q(lesson.db_table),
        page=q(page.db_table),
        clip=q(clip.db_table),
        watch=q(watch.db_table),
        vs=q(vs.db_table),
        lanes=q(lanes.db_table),
        lesson_pk=lesson_pk,
        lesson_clip=col(lesson, "clip"),
        threshold=col(lesson, "watched_threshold"),
        page_id=col(page, "id"),
        live=col(page, "live"),
        clip_id=col(clip, "id"),
        duration=col(clip, "duration"),
        w_id=col(watch, "id"),
        w_segments=col(watch, "segments"),
        w_sessions=col(watch, "sessions"),
        w_revision=col(watch, "revision"),
        w_completed=col(watch, "completed"),
        w_allowance=col(watch, "allowance"),
        w_allowance_at=col(watch, "allowance_at"),
        w_lesson=col(watch, "lesson"),
        w_user=col(watch, "user"),
        vs_key=col(vs, "key"),
        vs_user=col(vs, "user"),
        vs_lesson=col(vs, "lesson"),
        vs_issued=col(vs, "issued_at"),
        l_user=col(lanes, "user"),
        l_lanes=col(lanes, "lanes"),
        l_revision=col(lanes, "revision"),
    )


def _json(value, default):
    if value is None:
        return default
    return json.loads(value) if isinstance(value, str | bytes) else value


def _aware(value) -> datetime:
    """A datetime column read without the ORM (SQLite returns text, naive UTC)."""
    if isinstance(value, str):
        value = parse_datetime(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def heartbeat_snapshot(*, lesson_id: int, user, session: str) -> HeartbeatSnapshot | None:
    """A live lesson's facts, the officer's WatchProgress row, the named viewing session
    and the officer's lanes, in one query.

    None when the lesson does not exist or is not published. The row, when there is
    one, carries only what a heartbeat merges; ``session`` is None when no such
    session was issued (or it was pruned).
    """
    with connection.cursor() as cursor:
        cursor.execute(_snapshot_sql(), [user.pk, session, user.pk, lesson_id, True])
        row = cursor.fetchone()
    if row is None:
        return None
    (
        clip_id,
        duration,
        threshold,
        pk,
        segments,
        sessions,
        revision,
        completed,
        allowance,
        allowance_at,
        vs_user,
        vs_lesson,
        vs_issued,
        lanes,
        lanes_revision,
    ) = row
    facts = LessonFacts(
        pk=lesson_id,
        clip_id=clip_id,
        duration=float(duration or 0),
        watched_fraction=LessonPage.watched_fraction_for(threshold),
    )
    claims = (
        SessionFacts(session, vs_user, vs_lesson, _aware(vs_issued))
        if vs_user is not None
        else None
    )
    progress = None
    if pk is not None:
        progress = WatchProgress(
            pk=pk,
            user=user,
            lesson_id=lesson_id,
            segments=_json(segments, []),
            sessions=_json(sessions, {}),
            revision=revision,
            completed=bool(completed),
            allowance=float(allowance),
            allowance_at=float(allowance_at),
        )
    return HeartbeatSnapshot(facts, progress, claims, _json(lanes, {}), lanes_revision)


@dataclass
class LessonProgress:
    lesson_id: int
    coverage: float = 0.0
    completed: bool = False
    completion: LessonCompletion | None = None
    segments: list = field(default_factory=list)
    missing: list = field(default_factory=list)
    resume_at: float = 0.0
    duration: float = 0.0

    @property
    def percent(self) -> int:
        return int(round(self.coverage * 100))

    @property
    def missing_labels(self) -> list[dict]:
        """Missing ranges of at least a second, labelled m:ss-m:ss for the lesson page."""
        return [
            {
                "start": s,
                "end": e,
                "label": f"{seg.format_clock(s)}-{seg.format_clock(e)}",
            }
            for s, e in self.missing
            if e - s >= 1
        ]


def lesson_progress_for(user, lesson: LessonPage) -> LessonProgress:
    """The officer's coverage, missing ranges, resume point and completion of a lesson."""
    result = LessonProgress(lesson_id=lesson.pk)
    if not getattr(user, "is_authenticated", False):
        return result
    progress = WatchProgress.objects.filter(user=user, lesson_id=lesson.pk).first()
    result.completion = LessonCompletion.objects.filter(user=user, lesson_id=lesson.pk).first()
    result.completed = result.completion is not None
    duration = progress.duration if progress and progress.duration else clip_duration(lesson)
    result.duration = duration
    if progress is not None:
        result.coverage = progress.coverage
        result.segments = progress.segments
        result.resume_at = seg.resume_position(
            merged=progress.segments, position=progress.position, duration=duration
        )
    result.missing = seg.complement(result.segments, duration) if duration else []
    return result
