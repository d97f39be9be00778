"""The apply step of an HR-file import on a real Celery worker, with progress."""

import io

import pytest
from django.contrib.auth import get_user_model

from officers.models import ImportJob, OfficerProfile
from officers.pid import pid_hash

from .test_import import CID1, GOOD, csv_bytes

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def upload(client, rows, name="hr.csv"):
    f = io.BytesIO(csv_bytes(rows))
    f.name = name
    resp = client.post("/admin/officers/import/", {"file": f})
    assert resp.status_code == 200 and not resp.context["report"].errors
    return resp.context["token"]


def wait_finished(client, job, timeout=60):
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = client.get(f"/admin/officers/import/{job.pk}/status/").json()
        if state["finished"]:
            return state
        time.sleep(0.3)
    raise AssertionError("the worker did not finish the import")


def test_a_worker_applies_the_checked_file_and_the_page_follows(celery_worker, accounts, client):
    client.force_login(get_user_model().objects.get(username="hr_a"))
    many = [
        [f"bulk{i}", "นาย", "ทดสอบ", f"คนที่ {i}", "A-IT", "", "O1", "ข้าราชการ", ""]
        for i in range(250)
    ]
    token = upload(client, GOOD + many)
    resp = client.post("/admin/officers/import/", {"token": token})
    job = ImportJob.objects.get()
    state = wait_finished(client, job)
    assert state == {
        "status": "applied",
        "label": "นำเข้าแล้ว",
        "finished": True,
        "done": 252,
        "total": 252,
        "percent": 100,
    }
    assert OfficerProfile.objects.filter(user__username__startswith="bulk").count() == 250
    from celery.result import AsyncResult

    assert AsyncResult(str(job.pk)).get(timeout=10) == "applied"
    page = client.get(resp.url).content.decode()
    assert "252 แถว" in page and "/ rows" not in page and "นำเข้าครบทุกแถว" in page


def test_a_file_that_went_bad_after_its_dry_run_writes_nothing_and_is_kept(
    celery_worker, accounts, client
):
    from officers.importing import stash_exists

    client.force_login(get_user_model().objects.get(username="hr_a"))
    token = upload(client, GOOD)
    # Meanwhile someone else is recorded with new1's citizen ID.
    OfficerProfile.objects.filter(user__username="officer1").update(citizen_id_hash=pid_hash(CID1))
    client.post("/admin/officers/import/", {"token": token})
    job = ImportJob.objects.get()
    state = wait_finished(client, job)
    assert state["status"] == "failed"
    assert not get_user_model().objects.filter(username__in=["new1", "new2"]).exists()
    job.refresh_from_db()
    assert [(e["row"], e["field"]) for e in job.report["errors"]] == [(2, "citizen_id")]
    assert stash_exists(job.stash)  # the original is kept
    page = client.get(f"/admin/officers/import/{job.pk}/").content.decode()
    assert "ไม่มีการบันทึกใด ๆ" in page and "ไฟล์เดิมยังเก็บไว้" in page


@pytest.mark.django_db
def test_the_progress_bar_reads_the_running_tasks_state(accounts, client):
    """While the apply transaction runs, the rows done come from the result backend."""
    from lms.celery import app

    hr_a = get_user_model().objects.get(username="hr_a")
    job = ImportJob.objects.create(created_by=hr_a, filename="big.xlsx", stash="x.xlsx")
    ImportJob.objects.filter(pk=job.pk).update(status="running")
    app.backend.store_result(str(job.pk), {"done": 300, "total": 1200}, "PROGRESS")
    client.force_login(hr_a)
    state = client.get(f"/admin/officers/import/{job.pk}/status/").json()
    assert (state["done"], state["total"], state["percent"]) == (300, 1200, 25)
    assert state["finished"] is False and state["label"] == "กำลังนำเข้า"
