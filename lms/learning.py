"""The officer's own learning as the site composes it for the personal home and /me/:
enrolments (progress, hr), due dates (hr), where to continue (progress.tracking)."""

from __future__ import annotations

from common.thai_dates import fiscal_year, fiscal_year_bounds, to_local_date
from hr.selectors import due_dates_of
from progress.completion.selectors import course_progress_for
from progress.record.selectors import enrolments_of, transcript_of
from progress.tracking.selectors import lesson_progress_for


def _course_card(user, enrolment, due, today) -> dict:
    """One enrolled course on /me/: its progress, due date and where to continue (the
    first lesson not yet completed, at the officer's own saved position)."""
    progress = course_progress_for(user, enrolment.course)
    card = {
        "enrolment": enrolment,
        "course": enrolment.course,
        "progress": progress,
        "due": due,
        "overdue": due is not None and due < today,
        "next_lesson": None,
        "resume_at": 0,
    }
    if not enrolment.round_done:
        for lesson, done in progress.lessons:
            if not done:
                card["next_lesson"] = lesson
                card["resume_at"] = int(lesson_progress_for(user, lesson).resume_at)
                break
    return card


def my_learning(user, today) -> dict:
    """What the personal home and /me/ show: enrolled courses (due ones first), recently
    completed ones with certificates, and the learning hours of this fiscal year."""
    due = due_dates_of(user, today=today)
    cards = [
        _course_card(user, e, None if e.round_done else due.get(e.course_id), today)
        for e in enrolments_of(user)
    ]
    cards.sort(key=lambda c: (c["enrolment"].round_done, c["due"] is None, c["due"] or today))
    transcript = transcript_of(user)
    start, end = fiscal_year_bounds(fiscal_year(today))
    hours = sum(
        (t["learning_hours"] or 0)
        for t in transcript
        if start <= to_local_date(t["completed_at"]) <= end
    )
    return {
        "cards": cards,
        "open_cards": [c for c in cards if not c["enrolment"].round_done],
        "transcript": transcript,
        "recent": transcript[:3],
        "fiscal_year": fiscal_year(today),
        "fiscal_hours": hours,
        "today": today,
    }
