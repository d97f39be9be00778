import pytest
from django.contrib.auth import get_user_model

from progress.enrolment.services import enrolment_ensure
from tests.factories import make_course


@pytest.fixture
def users(db):
    """The demo accounts and agencies only (officers.demo), without the slow media seeding;
    the scoping matrix itself runs on the full `demo` fixture."""
    from officers.demo import seed

    seed()
    User = get_user_model()
    return {u.username: u for u in User.objects.all()}


@pytest.fixture
def course_b(users, django_capture_on_commit_callbacks):
    """A course with records on both sides: officer2 (A) completed, officer1 (A) and
    officer3 (B) enrolled."""
    from progress.completion.services import course_complete

    course = make_course("ข้อมูลเปิดภาครัฐ")
    for name in ("officer1", "officer3"):
        enrolment_ensure(user=users[name], course=course)
    with django_capture_on_commit_callbacks(execute=False):
        course_complete(user=users["officer2"], course=course, reason="all_lessons")
        course_complete(user=users["officer3"], course=make_course("อื่น"), reason="all_lessons")
    return course
