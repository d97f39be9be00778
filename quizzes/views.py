"""Learner-facing pages of the quizzes app: a quiz on its own page (e.g. a course's final quiz)."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from officers.scoping import is_db_id

from . import selectors


def quiz_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The quiz alone; 404 unless a live page offers it (as the attempt API does)."""
    quiz = selectors.quiz_reachable(quiz_id=pk, request=request) if is_db_id(pk) else None
    if quiz is None:
        raise Http404
    return render(request, "quizzes/quiz_page.html", {"quiz": quiz})
