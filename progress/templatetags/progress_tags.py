"""Template tags for the lesson page: the viewing session and the officer's progress."""

from django import template

from progress.selectors import lesson_progress_for
from progress.services import viewing_session_issue

register = template.Library()


@register.simple_tag(takes_context=True)
def lesson_tracking(context, lesson) -> dict:
    """A new viewing session (recorded server-side, no budget of its own) and current
    progress for ``request.user``."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or lesson is None:
        return {"session": "", "progress": None, "threshold": 0}
    return {
        "threshold": int(round(lesson.watched_fraction * 100)),
        "session": viewing_session_issue(user=user, lesson=lesson),
        "progress": lesson_progress_for(user, lesson),
    }
