"""Template tags of the quizzes app: what the quiz shell offers the signed-in officer."""

from django import template

from quizzes import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def quiz_availability(context, quiz):
    """Start button, or when the next attempt opens, or that none is left."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return selectors.Availability(can_start=False)
    return selectors.quiz_availability(quiz=quiz, user=user)
