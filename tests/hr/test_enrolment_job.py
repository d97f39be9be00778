"""Creating an assignment enrols its officers on a worker (queue "default"), and the
assignment page follows the job; only HR of the unit's agency, its creator and
administrators see the job."""

import time

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from hr.models import Assignment
from officers import roles
from officers.models import Agency, OfficerProfile
from progress.models import Enrolment
from tests.factories import make_course

DUE = "2027-01-31"


def _bulk_officers(unit: Agency, n: int) -> None:
    User = get_user_model()
    users = User.objects.bulk_create(
        [User(username=f"bulk{i}", email=f"bulk{i}@example.go.th") for i in range(n)]
    )
    OfficerProfile.objects.bulk_create(
        [
            OfficerProfile(user=u, agency=unit, first_name_th="ทดสอบ", last_name_th=f"คนที่ {i}")
            for i, u in enumerate(users)
        ]
    )


def wait_finished(client, url: str, timeout: float = 90) -> dict:
    deadline = time.monotonic() + timeout
    seen = []
    while time.monotonic() < deadline:
        state = client.get(url).json()
        seen.append(state)
        if state["finished"]:
            return state
        time.sleep(0.2)
    raise AssertionError(f"the worker did not finish the enrolment: {seen[-3:]}")


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_enrols_the_assignment_and_the_page_follows(celery_worker, client):
    from officers.demo import seed

    seed()
    unit = Agency.objects.get(code="A-IT")
    _bulk_officers(unit, 1200)  # more than one chunk of the job
    course = make_course("การพิสูจน์และยืนยันตัวตนทางดิจิทัล")
    client.force_login(get_user_model().objects.get(username="hr_a"))
    resp = client.post("/hr/assignments/", {"course": course.pk, "unit": unit.pk, "due_date": DUE})
    assignment = Assignment.objects.get()
    assert resp.status_code == 302 and resp.url == f"/hr/assignments/{assignment.pk}/"
    page = client.get(resp.url).content.decode()
    assert "data-assignment-job" in page and "<progress" in page
    state = wait_finished(client, f"/hr/assignments/{assignment.pk}/status/")
    assert state == {
        "status": "done",
        "label": "ลงทะเบียนผู้เรียนครบแล้ว",
        "finished": True,
        "done": 1201,  # officer1 and the bulk officers of A-IT
        "total": 1201,
        "percent": 100,
    }
    enrolled = Enrolment.objects.filter(course=course, assignment_id=assignment.pk)
    assert enrolled.count() == 1201
    assert not enrolled.filter(user__username__in=["officer2", "officer3"]).exists()
    from celery.result import AsyncResult

    assert AsyncResult(assignment.enrolment_task_id).get(timeout=10) == 1201
    page = client.get(f"/hr/assignments/{assignment.pk}/").content.decode()
    assert "1201 / 1201" in page and "ลงทะเบียนผู้เรียนครบแล้ว" in page


def test_the_request_only_queues_the_enrolment(client, users, django_capture_on_commit_callbacks):
    """Nothing is enrolled inside the HR user's request: one task is queued on commit."""
    course = make_course()
    unit = Agency.objects.get(code="A")
    client.force_login(users["hr_a"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        resp = client.post(
            "/hr/assignments/", {"course": course.pk, "unit": unit.pk, "due_date": DUE}
        )
    assert resp.status_code == 302
    assert len(callbacks) == 1
    assignment = Assignment.objects.get()
    assert assignment.enrolment_status == "queued"
    assert not Enrolment.objects.filter(course=course).exists()
    state = client.get(f"/hr/assignments/{assignment.pk}/status/").json()
    assert (state["status"], state["finished"], state["percent"]) == ("queued", False, 0)


def test_the_progress_bar_reads_the_running_tasks_state(client, users):
    from lms.celery import app

    assignment = Assignment.objects.create(
        course=make_course(),
        agency=Agency.objects.get(code="A"),
        due_date=DUE,
        created_by=users["hr_a"],
        enrolment_status="running",
    )
    app.backend.store_result(assignment.enrolment_task_id, {"done": 500, "total": 2000}, "PROGRESS")
    client.force_login(users["hr_a"])
    state = client.get(f"/hr/assignments/{assignment.pk}/status/").json()
    assert (state["done"], state["total"], state["percent"]) == (500, 2000, 25)
    assert state["label"] == "กำลังลงทะเบียนผู้เรียน" and state["finished"] is False


def test_a_failed_enrolment_is_shown_as_failed(client, users, monkeypatch):
    from hr import services

    assignment = Assignment.objects.create(
        course=make_course(),
        agency=Agency.objects.get(code="A"),
        due_date=DUE,
        created_by=users["hr_a"],
    )

    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "enrolment_ensure", broken)
    with pytest.raises(RuntimeError):
        services.assignment_enrol(assignment=assignment)
    client.force_login(users["hr_a"])
    state = client.get(f"/hr/assignments/{assignment.pk}/status/").json()
    assert (state["status"], state["finished"]) == ("failed", True)


@pytest.fixture
def assignment_b(users):
    """An assignment hr_b made for agency B's unit."""
    return Assignment.objects.create(
        course=make_course(),
        agency=Agency.objects.get(code="B"),
        due_date=DUE,
        created_by=users["hr_b"],
    )


@pytest.mark.parametrize(
    ("role", "expected"),
    [("hr_b", 200), ("admin", 200), ("hr_a", 404), ("editor_a", 403), ("officer3", 403)],
)
def test_only_the_agencys_hr_and_administrators_see_the_job(
    client, users, assignment_b, role, expected
):
    client.force_login(users[role])
    for url in (
        f"/hr/assignments/{assignment_b.pk}/",
        f"/hr/assignments/{assignment_b.pk}/status/",
    ):
        resp = client.get(url)
        assert resp.status_code == expected, (role, url)
        if expected == 404:
            assert "ไม่พบการมอบหมาย" in resp.content.decode()


def test_the_creator_still_sees_a_job_for_a_unit_now_outside_their_subtree(
    client, users, assignment_b
):
    """The creator (while HR) follows their own job even if their unit has since moved."""
    hr_c = users["hr_a"]
    Assignment.objects.filter(pk=assignment_b.pk).update(created_by=hr_c)
    client.force_login(hr_c)
    assert client.get(f"/hr/assignments/{assignment_b.pk}/status/").status_code == 200
    # ...but no longer once they stop being HR.
    hr_c.groups.remove(Group.objects.get(name=roles.AGENCY_HR))
    assert client.get(f"/hr/assignments/{assignment_b.pk}/status/").status_code == 403
