"""The checked HR file goes through the private storage's API only: a worker that can
reach that storage (and no local folder of the web host) applies it, and the clean-up
deletes through it too."""

import datetime as dt
import io
import os
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from common.private_files import private_storage
from officers.importing import STASH_DIR, import_stashes_expire
from officers.models import ImportJob, OfficerProfile

from .test_import import GOOD, csv_bytes
from .test_import_job import wait_finished

REMOTE = {"BACKEND": "tests.officers.remote_storage.RemoteOnlyStorage"}


@pytest.fixture
def remote_private(settings):
    settings.STORAGES = {**settings.STORAGES, "private": REMOTE}
    storage = private_storage()
    with pytest.raises(NotImplementedError):
        storage.path("x")
    return storage


def files_under(*roots: str | Path) -> list[str]:
    return [os.path.join(d, f) for root in roots for d, _s, files in os.walk(root) for f in files]


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_with_only_the_storage_api_applies_the_file(
    celery_worker, accounts, client, remote_private, settings
):
    client.force_login(get_user_model().objects.get(username="hr_a"))
    upload = io.BytesIO(csv_bytes(GOOD))
    upload.name = "hr.csv"
    resp = client.post("/admin/officers/import/", {"file": upload})
    token = resp.context["token"]
    assert remote_private.exists(f"{STASH_DIR}/{token}")
    # Nothing of the file on the web host's disk: not under MEDIA_ROOT, nor the private root.
    assert files_under(settings.MEDIA_ROOT, settings.PRIVATE_ROOT) == []
    client.post("/admin/officers/import/", {"token": token})
    job = ImportJob.objects.get()
    state = wait_finished(client, job)
    assert state["status"] == "applied", job.report
    assert set(
        OfficerProfile.objects.filter(user__username__in=["new1", "new2"]).values_list(
            "user__username", flat=True
        )
    ) == {"new1", "new2"}
    assert not remote_private.exists(f"{STASH_DIR}/{token}")  # deleted through the API


@pytest.mark.django_db
def test_the_stash_clean_up_deletes_through_the_storage(remote_private):
    from django.core.files.base import ContentFile

    remote_private.save(f"{STASH_DIR}/old.csv", ContentFile(b"username\n"))
    assert import_stashes_expire(older_than=dt.timedelta(days=1)) == 0
    assert import_stashes_expire(older_than=dt.timedelta(seconds=-1)) == 1
    assert not remote_private.exists(f"{STASH_DIR}/old.csv")
