"""The course page as the officer sees it after finishing (issue 16): the completed
banner links the certificate, the best final-quiz score is shown — the officer's own,
never another officer's."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from progress.completion.services import course_complete
from progress.models import Certificate
from quizzes.models import Attempt
from tests.factories import QuizFactory, make_course, make_officer, served_course_index

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def served():
    served_course_index()


def _page(user, course) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(course.url)
    assert response.status_code == 200
    return response.content.decode()


def test_completed_course_links_its_certificate_and_shows_the_best_score(
    django_capture_on_commit_callbacks,
):
    quiz = QuizFactory()
    course = make_course(final_quiz=quiz)
    officer, other = make_officer("finisher"), make_officer("someone-else-2")
    now = timezone.now()
    for user, score in ((officer, 60.0), (officer, 85.0), (other, 100.0)):
        Attempt.objects.create(quiz=quiz, user=user, score=score, submitted_at=now, passed=True)
    before = _page(officer, course)
    assert "data-certificate-link" not in before
    assert "85%" in before and "100%" not in before

    with django_capture_on_commit_callbacks(execute=False):
        course_complete(user=officer, course=course, reason="all_lessons")
    certificate = Certificate.objects.get(completion__user=officer)
    html = _page(officer, course)
    assert "data-course-completed" in html
    assert f"/certificates/{certificate.code}/download/" in html
    assert f"/certificates/verify/{certificate.code}/" in html
    # The other officer has no completion: no banner, no link, their own best score.
    theirs = _page(other, course)
    assert "data-course-completed" not in theirs and certificate.code not in theirs
    assert "100%" in theirs


def test_a_revoked_certificate_is_not_offered(django_capture_on_commit_callbacks):
    course = make_course()
    officer = make_officer("revoked-one")
    with django_capture_on_commit_callbacks(execute=False):
        course_complete(user=officer, course=course, reason="all_lessons")
    Certificate.objects.filter(completion__user=officer).update(revoked_at=timezone.now())
    html = _page(officer, course)
    assert "data-course-completed" in html and "data-certificate-link" not in html
