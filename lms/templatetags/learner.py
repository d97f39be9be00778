"""Template tags that compose the learner's pages from progress's selectors and services:
the lesson page's tracking (a viewing session and the officer's progress) and the
officer's progress through a course. Used by lms's overrides of the courses templates."""

from django import template

from progress.completion.selectors import CourseProgress, course_progress_for
from progress.tracking.selectors import lesson_progress_for
from progress.tracking.services import viewing_session_issue

register = template.Library()


def _officer(context):
    user = getattr(context.get("request"), "user", None)
    return user if user is not None and user.is_authenticated else None


@register.simple_tag(takes_context=True)
def lesson_tracking(context, lesson) -> dict:
    """A new viewing session (recorded server-side, no budget of its own) and current
    progress for ``request.user``; nothing for visitors who are not signed in."""
    user = _officer(context)
    if user is None or lesson is None:
        return {"session": "", "progress": None, "threshold": 0}
    return {
        "threshold": int(round(lesson.watched_fraction * 100)),
        "session": viewing_session_issue(user=user, lesson=lesson),
        "progress": lesson_progress_for(user, lesson),
    }


@register.simple_tag(takes_context=True)
def course_progress(context, course, lessons) -> CourseProgress | None:
    """The signed-in officer's progress through ``course`` (its live ``lessons``)."""
    user = _officer(context)
    if user is None:
        return None
    return course_progress_for(user, course, lessons=lessons)
