"""Learner-facing pages of the quizzes app: a quiz on its own page (e.g. a course's final quiz)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from .models import Quiz


def quiz_page(request: HttpRequest, pk: int) -> HttpResponse:
    quiz = get_object_or_404(Quiz, pk=pk)
    return render(request, "quizzes/quiz_page.html", {"quiz": quiz})
