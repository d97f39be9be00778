"""deploy/nginx.conf.template in front of gunicorn: static files and public HLS straight
from disk, the rest proxied, private files by X-Accel-Redirect, security headers; a
lesson plays through it in Chromium."""

from __future__ import annotations

import re
import shutil
import urllib.error
import urllib.request

import pytest
from django.urls import reverse

from .lesson import lesson_with_clip, play_lesson
from .servers import collectstatic, gunicorn, nginx

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def get(url: str, **headers):
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - local
    try:
        with urllib.request.urlopen(request, timeout=10) as r:  # noqa: S310
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


@pytest.fixture(scope="session")
def static_root(tmp_path_factory):
    import os

    root = tmp_path_factory.mktemp("static")
    collectstatic(dict(os.environ, DJANGO_SETTINGS_MODULE="lms.settings.test"), root)
    return root


@pytest.mark.skipif(
    not shutil.which("nginx") and not shutil.os.path.exists("/usr/sbin/nginx"),
    reason="nginx not installed: .ci/run installs Debian's nginx package",
)
def test_lesson_plays_through_nginx_with_private_files_by_x_accel_redirect(
    demo, subprocess_env, static_root, media_root, private_root, chromium_path, tmp_path
):
    from media_pipeline.models import VideoAsset

    lesson = lesson_with_clip()
    assert lesson is not None
    env = {
        **subprocess_env,
        "LMS_SENDFILE_BACKEND": "nginx",
        "LMS_SENDFILE_URL_PREFIX": "/_private/",
        "LMS_TRUSTED_PROXY_COUNT": "1",
        "STATIC_ROOT": str(static_root),
        # The admin signs in by password here; the staff factor has its own tests.
        "LMS_STAFF_MFA_REQUIRED": "0",
    }
    with (
        gunicorn(env, log=tmp_path / "gunicorn.log") as upstream,
        nginx(
            upstream=upstream.removeprefix("http://"),
            static_root=static_root,
            media_root=media_root,
            private_root=private_root,
            workdir=tmp_path / "nginx",
        ) as base,
    ):
        media, facts = play_lesson(chromium_path, base, lesson.url)
        gunicorn_log = (tmp_path / "gunicorn.log").read_text()

        # Security headers from nginx and the page's own CSP from Django.
        headers = facts["page_headers"]
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "same-origin"
        assert "content-security-policy" in headers
        assert "nginx" not in headers.get("server", "").split("/")[1:]  # no version shown

        # nginx sends its own request id to Django (logged, returned); a client's is replaced.
        _status, reply, _body = get(f"{base}/healthz", **{"X-Request-ID": "chosen-by-client-1"})
        assert re.fullmatch(r"[0-9a-f]{32}", reply["X-Request-ID"])

        # Media came from nginx's disk location, not from Django, with cache headers.
        segments = [m for m in media if m[0].endswith(".m4s")]
        playlists = [m for m in media if m[0].endswith(".m3u8")]
        assert segments and playlists, media
        assert all(m[1] in (200, 206) for m in segments + playlists)
        assert all(m[2]["cache-control"] == "public, max-age=31536000, immutable" for m in segments)
        assert all(m[2]["cache-control"] == "public, max-age=60" for m in playlists)
        assert facts["mode"] in ("hls.js", "hls")
        assert "/media/" not in gunicorn_log  # Django never saw a media request
        assert "/static/" not in gunicorn_log

        # Static files straight from STATIC_ROOT.
        status, h, _ = get(base + "/static/media_pipeline/player.js")
        assert status == 200 and "public" in h["Cache-Control"]

        # Only the player's media types under /media/, and no way past MEDIA_ROOT.
        (media_root / "videos" / "evil.html").write_text("<script>alert(1)</script>")
        assert get(base + "/media/videos/evil.html")[0] == 404
        assert get(base + "/media/../private/x.m3u8")[0] in (400, 404)

        # A private file: the internal location is unreachable directly...
        asset = VideoAsset.objects.get(pk=lesson.clip_id)
        assert get(base + "/_private/" + asset.file.name)[0] == 404
        # ...and Django's permission-checked view hands it over through nginx.
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            request = p.request.new_context(base_url=base)
            login = request.get("/accounts/login/")
            token = [c for c in request.storage_state()["cookies"] if c["name"] == "csrftoken"]
            assert login.ok and token
            request.post(
                "/accounts/login/",
                form={
                    "username": "admin",
                    "password": "demo-pass-2568",
                    "csrfmiddlewaretoken": token[0]["value"],
                },
                headers={"Referer": base + "/accounts/login/"},
            )
            original = request.get(reverse("media_pipeline_admin:original", args=[asset.pk]))
            body, oh = original.body(), original.headers
            anonymous = p.request.new_context(base_url=base)
            refused = anonymous.get(
                reverse("media_pipeline_admin:original", args=[asset.pk]), max_redirects=0
            )
            request.dispose()
            anonymous.dispose()
        assert original.status == 200
        assert body == asset.file.open("rb").read()
        assert "no-store" in oh["cache-control"]
        assert "x-accel-redirect" not in oh  # nginx consumed it
        assert refused.status in (302, 403)

        # /metrics through nginx only from loopback (and Django checks again).
        assert get(base + "/metrics")[0] == 200
