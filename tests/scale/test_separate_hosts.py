"""The web process, two media workers and a default-queue worker as separate hosts that
share only PostgreSQL, Redis and the S3 API over a virtual network (tests/scale/hosts.py:
network namespaces on a bridge; per host its own mount, hostname and process view, its
own empty var/, working and temp folders; the services in a namespace of their own, our
own PostgreSQL and Redis bound to the virtual network).

Through the web host a clip is uploaded and an HR file imported; the media host that
transcodes the clip is killed mid-encode (every process in it); the other media host takes
the work over after the (shortened) visibility timeout and publishes the clip within the
(shortened) time limits. Nothing is left in progress, no task waits in a queue, nothing is
written to any host's disk, and every host used the secrets from its environment.

Needs root (ip netns, unshare); skips with the reason where namespaces cannot be made.
Marked slow: it brings its own servers, so the configured database does not matter.
"""

from __future__ import annotations

import base64
import datetime as dt
import hmac
import json
import os
import re
import secrets
import sys
import time

import pytest
import requests

from tests.conftest import ROOT
from tests.officers.test_import import CID1, GOOD, csv_bytes
from tests.polling import wait_for

from .hosts import Cluster, NamespacesUnavailable
from .servers import BUCKET, PRIVATE_BUCKET, bucket_keys, s3_env, wait_http

pytestmark = [pytest.mark.hosts, pytest.mark.slow]

# Shortened for the test (production: hours and minutes). The redelivered transcode must
# find the dead claim's heartbeat stale, so the kill has to come well before
# VISIBILITY - STALE seconds after the transcode was delivered.
VISIBILITY = 30  # CELERY_VISIBILITY_TIMEOUT
RESTORE = 2  # CELERY_UNACKED_RESTORE_SECONDS: how often workers look for such tasks
STALE = 8  # MEDIA_HEARTBEAT_STALE_SECONDS
LIMIT_BASE, LIMIT_PER_SECOND = 60, 4  # MEDIA_TIME_LIMIT_BASE, MEDIA_TIME_LIMIT_PER_SECOND
CLIP_SECONDS = 20
MEDIA_HOSTS = ("media1", "media2")


@pytest.fixture
def cluster(tmp_path):
    cluster = Cluster(base=tmp_path)
    try:
        try:
            cluster.network(["svc", "web", *MEDIA_HOSTS, "default"])
        except NamespacesUnavailable as exc:
            pytest.skip(
                "Separate hosts need network, mount, UTS and PID namespaces "
                f"(root with CAP_SYS_ADMIN and CAP_NET_ADMIN, iproute2, util-linux): {exc}"
            )
        yield cluster
    finally:
        cluster.close()


def vapid_keys() -> tuple[str, str]:
    from cryptography.hazmat.primitives import serialization
    from py_vapid import Vapid

    from lms.settings.base import _new_vapid_key

    private = _new_vapid_key()
    raw = Vapid.from_string(private).public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return private, base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


class Web:
    """An HTTP client of the web host. Production cookies are Secure and the virtual
    network is plain HTTP (no TLS proxy in front), so the cookies are kept by hand."""

    def __init__(self, base: str):
        self.base = base
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        response = requests.request(
            method,
            self.base + path,
            cookies=self.cookies,
            allow_redirects=False,
            timeout=60,
            **kwargs,
        )
        self.cookies.update(response.cookies.get_dict())
        return response

    def get(self, path: str) -> requests.Response:
        return self.request("GET", path)

    def post(self, path: str, data: dict, files: dict | None = None) -> requests.Response:
        data = {**data, "csrfmiddlewaretoken": self.cookies["csrftoken"]}
        return self.request(
            "POST", path, data=data, files=files, headers={"Referer": self.base + path}
        )


class Db:
    """The test's own reads of the shared PostgreSQL (what the hosts wrote)."""

    def __init__(self, url: str):
        import psycopg

        self.conn = psycopg.connect(url, autocommit=True)

    def one(self, sql: str, *params):
        return self.conn.execute(sql, params).fetchone()

    def all(self, sql: str, *params):
        return self.conn.execute(sql, params).fetchall()

    def asset(self, pk: int) -> dict:
        cur = self.conn.execute(
            "SELECT status, claim_host, stage, progress_percent, claimed_at, heartbeat_at,"
            " error_code, error_message, outputs, attempts"
            " FROM media_pipeline_videoasset WHERE id = %s",
            (pk,),
        )
        names = [c.name for c in cur.description]
        return dict(zip(names, cur.fetchone(), strict=True))


def worker_queues(log: str) -> tuple[str, list[str]] | None:
    """(node name, queues) from a worker's start-up banner once it says it is ready."""
    ready = re.search(r"^.*INFO celery\.apps\.worker .* (celery@\S+) ready\.$", log, re.M)
    if not ready:
        return None
    queues = re.search(r"\[queues\]\n((?:\s+\.> .*\n)+)", log).group(1)
    return ready.group(1), re.findall(r"\.> (\S+)", queues)


def test_web_and_workers_on_separate_hosts_survive_a_media_host_killed_mid_transcode(
    cluster, tmp_path
):
    from media_pipeline.testing import make_test_clip
    from officers.demo import DEMO_PASSWORD  # the accounts the web host seeds
    from officers.importing import STASH_DIR

    numbers: dict[str, float] = {}
    started = time.monotonic()
    try:
        database = cluster.postgres()
        broker = cluster.redis()
        endpoint = cluster.s3()
        numbers["services_s"] = time.monotonic() - started
        web = cluster.hosts["web"]
        secret_key, pid_key = secrets.token_urlsafe(50), secrets.token_urlsafe(40)
        vapid_private, vapid_public = vapid_keys()
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "LANG": "C.UTF-8",
            "PYTHONPATH": str(ROOT),
            "PYTHONUNBUFFERED": "1",
            "PYTHONDONTWRITEBYTECODE": "1",
            "DJANGO_SETTINGS_MODULE": "lms.settings.production",
            # The same secrets on every host, from the environment (never var/keys/).
            "DJANGO_SECRET_KEY": secret_key,
            "LMS_PID_HASH_KEY": pid_key,
            "VAPID_PRIVATE_KEY": vapid_private,
            "VAPID_PUBLIC_KEY": vapid_public,
            "DATABASE_URL": database,
            "CELERY_BROKER_URL": f"{broker}/0",
            "CACHE_URL": f"{broker}/1",
            **s3_env(endpoint),
            "DJANGO_ALLOWED_HOSTS": web.address,
            "WAGTAILADMIN_BASE_URL": f"http://{web.address}:8000",
            # Plain HTTP on the virtual network, password sign-in for the seeded admin.
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "LMS_STAFF_MFA_REQUIRED": "0",
            "LMS_LOG_FORMAT": "plain",
            "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY),
            "CELERY_UNACKED_RESTORE_SECONDS": str(RESTORE),
            "MEDIA_HEARTBEAT_STALE_SECONDS": str(STALE),
            "MEDIA_TIME_LIMIT_BASE": str(LIMIT_BASE),
            "MEDIA_TIME_LIMIT_PER_SECOND": str(LIMIT_PER_SECOND),
            "MEDIA_MAX_DURATION": "60",
            "MEDIA_AV1": "0",
            "MEDIA_QUALITY_SEARCH": "0",
        }
        py, manage = sys.executable, str(ROOT / "manage.py")
        web_script = "\n".join(
            [
                "set -e",
                f"{py} {manage} collectstatic --noinput -v0 & static=$!",
                f"{py} {manage} migrate --noinput -v1",
                'wait "$static"',
                f'{py} {manage} shell -c "from officers.demo import seed; seed()"',
                "echo web: migrated, static collected, accounts seeded",
                f"exec {py} -m gunicorn lms.wsgi:application --bind {web.address}:8000"
                " --workers 2 --threads 4 --graceful-timeout 5 --access-logfile -",
            ]
        )
        cluster.start("web", ["sh", "-c", web_script], env)
        celery = [py, "-m", "celery", "-A", "lms", "worker", "--loglevel", "INFO"]
        # As README's production section runs them.
        for name in MEDIA_HOSTS:
            cluster.start(
                name, [*celery, "-Q", "media", "-c", "1", "--prefetch-multiplier", "1"], env
            )
        cluster.start("default", [*celery, "-Q", "default", "-c", "2"], env)
        clip = make_test_clip(
            cluster.base / "clips" / "lesson.mp4", seconds=CLIP_SECONDS, width=1280, height=720
        )
        base = f"http://{web.address}:8000"
        wait_http(base + "/healthz", limit=300, proc=web.proc)
        numbers["web_up_s"] = time.monotonic() - started
        queues = {
            name: wait_for(
                lambda h=cluster.hosts[name]: worker_queues(h.log.read_text(errors="replace")),
                limit=120,
                what=f"the worker on {name} ready",
            )
            for name in (*MEDIA_HOSTS, "default")
        }
        # Each worker named after its own hostname, on the queues README's production runs.
        assert queues == {
            "media1": ("celery@media1", ["media"]),
            "media2": ("celery@media2", ["media"]),
            "default": ("celery@default", ["default"]),
        }
        ready = requests.get(base + "/readyz", timeout=30)
        assert ready.status_code == 200, ready.text

        # Every host has its own hostname, is PID 1 of its own process view, sees only its
        # own folder and nothing of the test's or the services' folders, nor the machine's
        # PostgreSQL socket (the line its start-up script wrote before starting the program).
        for name in ("web", *MEDIA_HOSTS, "default"):
            host = cluster.hosts[name]
            assert host.init_pid() and host.pids(), name
            seen = f"[{name}] hostname={name} pid=1 hosts/: {name} hidden: 0\n"
            assert seen in host.log.read_text(errors="replace"), name
        db = Db(database)

        # --- through the web host: sign in, upload a clip ----------------------------------
        client = Web(base)
        assert client.get("/accounts/login/").status_code == 200
        signed_in = client.post("/accounts/login/", {"login": "admin", "password": DEMO_PASSWORD})
        assert signed_in.status_code == 302, signed_in.text[-2000:]
        assert client.get("/admin/").status_code == 200
        (root,) = db.one("SELECT id FROM wagtailcore_collection WHERE depth = 1")
        with open(clip, "rb") as fh:
            uploaded = client.post(
                "/admin/video-pipeline/upload/video/",
                {"title": "คลิปข้ามเครื่อง", "collection": str(root)},
                files={"file": ("บทเรียน.mp4", fh, "video/mp4")},
            )
        t_upload = time.monotonic()
        assert uploaded.status_code == 302, uploaded.text[-3000:]
        pk = int(re.search(r"/video-pipeline/(\d+)/$", uploaded.headers["Location"]).group(1))
        # The original went to the private bucket, not to the web host's disk.
        assert len(bucket_keys(endpoint, PRIVATE_BUCKET, "private/originals/")) == 1

        # --- kill the media host that transcodes it, mid-encode -----------------------------
        def encoding():
            row = db.asset(pk)
            assert row["status"] not in ("ready", "failed"), row
            host = row["claim_host"]
            if (
                row["status"] == "transcoding"
                and host in MEDIA_HOSTS
                and row["stage"] == "encode"
                and row["progress_percent"] > 15
                and any(c.startswith("ffmpeg") for c in cluster.hosts[host].commands())
            ):
                return row
            return None

        row = wait_for(encoding, limit=180, what="the clip being encoded on a media host")
        victim = cluster.hosts[row["claim_host"]]
        survivor = cluster.hosts[next(n for n in MEDIA_HOSTS if n != victim.name)]
        claimed_for = dt.datetime.now(dt.UTC) - row["claimed_at"]
        victim.kill()
        t_kill = time.monotonic()
        numbers["upload_to_kill_s"] = t_kill - t_upload
        numbers["percent_at_kill"] = row["progress_percent"]
        wait_for(lambda: victim.pids() == [], limit=15, what="every process of it gone")
        assert claimed_for.total_seconds() < VISIBILITY - STALE - 2, (
            f"killed {claimed_for} after the claim: too late for the redelivery to find "
            "the heartbeat stale (raise VISIBILITY or use a shorter clip)"
        )

        # --- meanwhile, import officers through the web host (the default host applies) ------
        assert client.get("/admin/officers/import/").status_code == 200
        checked = client.post(
            "/admin/officers/import/",
            {},
            files={"file": ("hr.csv", csv_bytes(GOOD), "text/csv")},
        )
        assert checked.status_code == 200, checked.text[-2000:]
        token = re.search(r'name="token" value="([^"]+)"', checked.text).group(1)
        applied = client.post("/admin/officers/import/", {"token": token})
        assert applied.status_code == 302, applied.text[-2000:]
        job_url = applied.headers["Location"]
        state = wait_for(
            lambda: (s := client.get(job_url + "status/").json())["finished"] and s,
            limit=90,
            what="the HR file applied by the default host",
        )
        assert state["status"] == "applied", state
        numbers["import_s"] = time.monotonic() - t_kill
        officers = dict(
            db.all(
                "SELECT u.username, p.citizen_id_hash FROM auth_user u"
                " JOIN officers_officerprofile p ON p.user_id = u.id"
                " WHERE u.username IN ('new1', 'new2')"
            )
        )
        assert set(officers) == {"new1", "new2"}
        # Hashed on the default host with the LMS_PID_HASH_KEY every host was given.
        assert officers["new1"] == hmac.new(pid_key.encode(), CID1.encode(), "sha256").hexdigest()
        assert bucket_keys(endpoint, PRIVATE_BUCKET, f"private/{STASH_DIR}/") == []

        # --- the other media host takes the clip over and publishes it -----------------------
        wait_for(
            lambda: db.asset(pk)["claim_host"] == survivor.name,
            limit=VISIBILITY + 60,
            what=f"{survivor.name} taking the transcode over",
        )
        t_takeover = time.monotonic()
        numbers["kill_to_takeover_s"] = t_takeover - t_kill
        done = wait_for(
            lambda: (r := db.asset(pk))["status"] in ("ready", "failed") and r,
            limit=LIMIT_BASE + LIMIT_PER_SECOND * CLIP_SECONDS,
            what=f"{survivor.name} finishing the clip within its hard time limit",
        )
        t_ready = time.monotonic()
        numbers["takeover_to_ready_s"] = t_ready - t_takeover
        numbers["kill_to_ready_s"] = t_ready - t_kill
        numbers["upload_to_ready_s"] = t_ready - t_upload
        assert done["status"] == "ready", done
        assert done["claim_host"] == survivor.name and not done["error_code"]
        assert "taking over work from dead claim" in survivor.log.read_text(errors="replace")

        # Published to the public bucket; the player's playlist is there for anyone.
        public = bucket_keys(endpoint, BUCKET)
        for key in ("hls", "mp4", "poster", "sprite_vtt"):
            assert done["outputs"][key] in public, key
        assert sum(k.endswith(".m4s") for k in public) >= 3 * (CLIP_SECONDS // 4)
        master = requests.get(f"{endpoint}/{BUCKET}/{done['outputs']['hls']}", timeout=10)
        assert master.status_code == 200 and master.text.startswith("#EXTM3U")
        assert master.text.count("#EXT-X-STREAM-INF") >= 3  # 360p, 540p, 720p
        status = client.get(f"/admin/video-pipeline/status/?ids={pk}").json()["assets"]
        assert [(a["status"], a["progress"]) for a in status] == [("ready", 100)]

        # Nothing stuck, nothing lost: no clip or import in progress, no task waiting in a
        # queue or unacknowledged (a duplicate delivery is consumed and dropped).
        (active,) = db.one(
            "SELECT count(*) FROM media_pipeline_videoasset"
            " WHERE status IN ('uploaded', 'probing', 'transcoding')"
        )
        assert active == 0
        assert db.all("SELECT DISTINCT status FROM officers_importjob") == [("applied",)]
        import redis

        r = redis.Redis.from_url(f"{broker}/0")
        wait_for(
            lambda: r.llen("media") == r.llen("default") == r.hlen("unacked") == 0,
            limit=VISIBILITY + 30,
            what="empty queues and no unacknowledged task",
        )

        # Every host worked from the shared services only: nothing in any host's own
        # media or private folder, no key generated under var/keys/.
        for name in ("web", *MEDIA_HOSTS, "default"):
            var = cluster.hosts[name].var
            assert not (var / "keys").exists(), name
            for sub in ("media", "private"):
                assert not [p for p in (var / sub).rglob("*") if p.is_file()], (name, sub)
    except BaseException:
        print(cluster.logs())
        raise
    finally:
        numbers["total_s"] = time.monotonic() - started
        rounded = {k: round(v, 1) for k, v in numbers.items()}
        print("\nseparate hosts:", rounded)
        # Kept for the person reading a CI run (artifacts/ is git-ignored).
        (ROOT / "artifacts").mkdir(exist_ok=True)
        (ROOT / "artifacts" / "separate-hosts.json").write_text(json.dumps(rounded, indent=1))
