"""Template tags that compose the learner's pages from progress's selectors and services:
the lesson page's tracking (a viewing session and the officer's progress) and the
officer's progress through a course. Used by lms's overrides of the courses templates."""

from django import template
from django.utils.translation import gettext as _

from courses.models import CompletionRule
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


@register.simple_tag(takes_context=True)
def final_quiz_best(context, course) -> float | None:
    """The signed-in officer's best score on the course's final quiz (None: no attempt)."""
    from quizzes.selectors import best_score

    user = _officer(context)
    quiz_id = getattr(course, "final_quiz_id", None)
    if user is None or not quiz_id:
        return None
    return best_score(quiz_id=quiz_id, user=user)


@register.simple_tag
def lesson_rule(lesson) -> str:
    """What completes the lesson, as progress applies it (a lesson without a quiz is
    completed by watching, one without a clip by passing its quiz): the rule, never the
    learner's status."""
    quiz_ids, has_clip = lesson.quiz_ids(), lesson.clip_id is not None
    percent = int(round(lesson.watched_fraction * 100))
    if not has_clip:
        return _("จบบทเมื่อผ่านแบบทดสอบในบทนี้") if quiz_ids else ""
    rule = lesson.completion_rule if quiz_ids else CompletionRule.WATCHED
    texts = {
        CompletionRule.WATCHED: _("จบบทเมื่อดูคลิปอย่างน้อย %(n)d%%"),
        CompletionRule.PASSED: _("จบบทเมื่อผ่านแบบทดสอบในบทนี้"),
        CompletionRule.WATCHED_AND_PASSED: _("จบบทเมื่อดูคลิปอย่างน้อย %(n)d%% และผ่านแบบทดสอบในบทนี้"),
        CompletionRule.WATCHED_OR_PASSED: _("จบบทเมื่อดูคลิปอย่างน้อย %(n)d%% หรือผ่านแบบทดสอบในบทนี้"),
    }
    text = texts.get(rule, texts[CompletionRule.WATCHED])
    return text % {"n": percent} if "%(n)d" in text else text


@register.simple_tag(takes_context=True)
def my_learning(context) -> dict | None:
    """The signed-in officer's courses for the personal home; None for visitors."""
    from django.utils import timezone

    from lms.learning import my_learning as compose

    user = _officer(context)
    return None if user is None else compose(user, timezone.localdate())
