"""The whole pipeline against a real S3 API server (moto on 127.0.0.1): the upload lands
in the private bucket, a worker with its own empty disk downloads the original and
publishes HLS, poster, sprite and MP4 to the public bucket with cache headers; private
files leave only through short-lived presigned URLs; deleting a clip removes its objects."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files import File

from media_pipeline import services
from media_pipeline.models import VideoAsset
from tests.conftest import ROOT
from tests.polling import wait_for

from .servers import BUCKET, PRIVATE_BUCKET, bucket_keys, s3_client, stop

pytestmark = [pytest.mark.s3, pytest.mark.django_db(transaction=True)]


def http_get(url: str) -> tuple[int, object, bytes]:
    """Status, headers (case-insensitive) and body."""
    try:
        with urllib.request.urlopen(url, timeout=10) as r:  # noqa: S310 - local server
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def start_worker(env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "lms",
            "worker",
            "-Q",
            "media,default",
            "-P",
            "solo",
            "--loglevel",
            "INFO",
            "--without-mingle",
            "--without-gossip",
            "-n",
            f"s3worker-{time.monotonic_ns()}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=open(log, "ab"),  # noqa: SIM115
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def test_pipeline_on_object_storage_with_a_worker_that_shares_no_disk(
    s3, subprocess_env, short_clip, media_root, private_root, tmp_path
):
    endpoint = s3["AWS_S3_ENDPOINT_URL"]
    worker_disk = tmp_path / "worker-host"
    env = {
        **subprocess_env,
        **s3,
        # The worker's own, empty folders: it can reach nothing on this process's disk.
        "MEDIA_ROOT": str(worker_disk / "media"),
        "LMS_PRIVATE_ROOT": str(worker_disk / "private"),
        "TMPDIR": str(worker_disk / "tmp"),
        "MEDIA_X264_PRESET": "superfast",
    }
    (worker_disk / "tmp").mkdir(parents=True)
    from lms.celery import app

    app.control.purge()
    worker = start_worker(env, tmp_path / "worker.log")
    try:
        with open(short_clip, "rb") as fh:
            asset = services.video_create(file=File(fh, name="บทเรียน.mp4"), title="S3 clip")
        # The upload is in the private bucket, not on any disk.
        assert asset.file.name.startswith("originals/")
        assert bucket_keys(endpoint, PRIVATE_BUCKET) == ["private/" + asset.file.name]
        done = wait_for(
            lambda: VideoAsset.objects.filter(pk=asset.pk, status__in=["ready", "failed"]).first()
        )
    finally:
        stop(worker)
    log = (tmp_path / "worker.log").read_text(errors="replace")
    assert done.status == "ready", (done.error_code, done.error_message, log[-3000:])

    # Nothing was written to any local media folder: this process's or the worker's.
    assert not any(media_root.rglob("*")) and not any(private_root.rglob("*"))
    assert not any((worker_disk / "media").rglob("*"))
    assert not any((worker_disk / "tmp").rglob("*"))  # temp download and work folder removed

    public = bucket_keys(endpoint, BUCKET)
    outputs = done.outputs
    for key in ("hls", "mp4", "poster", "sprite_vtt"):
        assert outputs[key] in public, key
    segments = [k for k in public if k.endswith(".m4s")]
    assert segments and all(k.startswith(f"videos/{done.public_key}/") for k in public)

    # The player's sources are the bucket's own URLs, fetched anonymously.
    sources = done.player_sources()
    assert sources["hls"] == f"{endpoint}/{BUCKET}/{outputs['hls']}"
    status, headers, body = http_get(sources["hls"])
    assert status == 200 and body.startswith(b"#EXTM3U")
    assert headers["Content-Type"] == "application/vnd.apple.mpegurl"
    assert headers["Cache-Control"] == "public, max-age=60"
    status, headers, body = http_get(f"{endpoint}/{BUCKET}/{segments[0]}")
    assert status == 200 and body
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    for key in ("mp4", "poster"):
        status, headers, _ = http_get(sources[key])
        assert status == 200 and "immutable" in headers["Cache-Control"]

    # The original: unsigned it is refused; the app hands out a presigned URL that expires.
    original_key = "private/" + done.file.name
    status, _, _ = http_get(f"{endpoint}/{PRIVATE_BUCKET}/{original_key}")
    assert status == 403
    url = done.file.url
    query = parse_qs(urlsplit(url).query)
    assert query["X-Amz-Expires"] == ["120"] and "X-Amz-Signature" in query
    status, headers, body = http_get(url)
    assert status == 200 and body == short_clip.read_bytes()
    assert headers["Cache-Control"] == "private, no-store"

    # Deleting the clip removes every object it had, public and private.
    done.delete()
    assert bucket_keys(endpoint, BUCKET, f"videos/{done.public_key}/") == []
    assert bucket_keys(endpoint, PRIVATE_BUCKET) == []
    assert http_get(sources["hls"])[0] in (403, 404)


def test_private_file_views_redirect_to_short_lived_presigned_urls(s3, admin_client):
    """A permission-checked view never streams private bytes from S3 through Django and
    never returns a long-lived or unsigned link."""
    from django.core.files.base import ContentFile

    from common.private_files import private_file_response, private_storage

    name = private_storage().save("certificates/2568/cert-1.pdf", ContentFile(b"%PDF-1.7 x"))
    response = private_file_response(
        private_storage(), name, filename="cert.pdf", content_type="application/pdf"
    )
    assert response.status_code == 302
    query = parse_qs(urlsplit(response["Location"]).query)
    assert int(query["X-Amz-Expires"][0]) <= 300
    assert http_get(response["Location"])[:1] == (200,)
    endpoint = s3["AWS_S3_ENDPOINT_URL"]
    assert http_get(f"{endpoint}/{PRIVATE_BUCKET}/private/{name}")[0] == 403
    # Objects in the private bucket are stored private whatever a bucket policy says.
    acl = s3_client(endpoint).get_object_acl(Bucket=PRIVATE_BUCKET, Key=f"private/{name}")
    assert not [g for g in acl["Grants"] if "AllUsers" in str(g.get("Grantee"))]
    private_storage().delete(name)
