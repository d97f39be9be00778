"""Hostile files through HTTP: captions as script, private files on the public media route.

The attacker is an agency editor (captions) or anyone anonymous (the /media/ route).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from wagtail.models import Collection, GroupCollectionPermission

from media_pipeline import services
from media_pipeline.hls import parse_master
from media_pipeline.models import CaptionTrack, VideoAsset
from media_pipeline.testing import make_test_clip
from progress.certificates.services import certificate_render
from progress.completion.services import course_complete
from progress.models import Certificate
from tests.factories import make_course, make_officer

pytestmark = pytest.mark.django_db

HOSTILE_VTT = (
    "WEBVTT\n\nSTYLE\n::cue { background: url(javascript:alert(1)) }\n\n"
    "NOTE <script>alert('note')</script>\n\n"
    "00:00:00.000 --> 00:00:01.000 align:start\n"
    "<c.x><b>สวัสดี</b></c> <script>alert(document.cookie)</script>\n"
    '<img src=x onerror="alert(2)">\n'
)


@pytest.fixture(scope="module")
def clip(tmp_path_factory) -> Path:
    return make_test_clip(
        tmp_path_factory.mktemp("clip") / "clip.mp4", seconds=2, width=160, height=90, audio=False
    )


@pytest.fixture(autouse=True)
def cheap(settings, tmp_path):
    settings.MEDIA_PIPELINE = {**settings.MEDIA_PIPELINE, "X264_PRESET": "superfast"}
    settings.CERTIFICATE_SIGNING_KEY = str(tmp_path / "keys" / "key.pem")
    settings.CERTIFICATE_SIGNING_CERT = str(tmp_path / "keys" / "cert.pem")


@pytest.fixture
def editor(django_user_model):
    """An agency editor holding the media permissions on one collection."""
    collection = Collection.get_first_root_node().add_child(name="Agency A")
    group = Group.objects.create(name="editors A")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in ("add_media", "change_media", "delete_media"):
        GroupCollectionPermission.objects.create(
            group=group,
            collection=collection,
            permission=Permission.objects.get(
                content_type__app_label="wagtailmedia", codename=codename
            ),
        )
    user = django_user_model.objects.create_user("editor_a", password="pw")
    user.groups.add(group)
    user.collection = collection
    return user


def ready_clip(clip: Path, collection=None) -> VideoAsset:
    with open(clip, "rb") as fh:
        asset = services.video_create(
            file=ContentFile(fh.read(), name="secret-draft.mp4"),
            title="draft",
            collection=collection,
            enqueue=False,
        )
    asset = services.video_process(asset_id=asset.pk)
    assert asset.status == "ready", asset.error_message
    return asset


def upload_caption(client, asset, *, name="x.html", body=HOSTILE_VTT, lang="th", label="ไทย"):
    return client.post(
        f"/admin/video-pipeline/{asset.pk}/captions/",
        {"lang": lang, "label": label, "file": ContentFile(body.encode(), name=name)},
    )


def test_caption_named_html_with_script_is_served_as_clean_vtt(client, editor, clip):
    asset = ready_clip(clip, editor.collection)
    client.force_login(editor)
    assert upload_caption(client, asset).status_code == 302
    track = CaptionTrack.objects.get(asset=asset)
    assert track.vtt_name.endswith(".vtt") and "x.html" not in track.vtt_name
    assert "x.html" not in track.file.name
    assert not list(Path(settings.MEDIA_ROOT).rglob("*.html"))
    client.logout()
    resp = client.get(f"/media/{track.vtt_name}")
    assert resp.status_code == 200
    assert resp["Content-Type"].startswith("text/vtt")
    assert resp["X-Content-Type-Options"] == "nosniff"
    assert resp["Content-Security-Policy"] == "sandbox"
    body = b"".join(resp.streaming_content).decode()
    assert body.startswith("WEBVTT")
    for bad in ("<script", "<img", "STYLE", "javascript:", "NOTE", "align:", "<b>"):
        assert bad not in body
    assert "สวัสดี" in body
    # The uploader's source is private: the media route never serves it.
    assert client.get(f"/media/{track.file.name}").status_code == 404


def test_media_route_serves_only_allowlisted_types(client):
    root = Path(settings.MEDIA_ROOT)
    (root / "videos").mkdir()
    (root / "videos" / "x.html").write_text("<script>alert(1)</script>")
    (root / "videos" / "x.svg").write_text("<svg onload=alert(1)>")
    (root / "videos" / "poster.jpg").write_bytes(b"\xff\xd8\xff<html><script>")
    assert client.get("/media/videos/x.html").status_code == 404
    assert client.get("/media/videos/x.svg").status_code == 404
    jpg = client.get("/media/videos/poster.jpg")
    assert jpg.status_code == 200 and jpg["Content-Type"] == "image/jpeg"
    assert jpg["X-Content-Type-Options"] == "nosniff"
    assert jpg["Content-Security-Policy"] == "sandbox"


@pytest.mark.parametrize(
    "field,value",
    [
        ("label", 'ไทย"\n#EXT-X-STREAM-INF:BANDWIDTH=1\nhttps://evil.example/x.m3u8'),
        ("label", 'ไทย",URI="https://evil.example/s.m3u8'),
        ("label", "a\rb"),
        ("lang", 'th"\n#EXT-X-ENDLIST'),
        ("lang", "th,URI=x"),
    ],
)
def test_caption_label_or_language_cannot_inject_playlist_lines(client, editor, clip, field, value):
    asset = ready_clip(clip, editor.collection)
    master_before = (Path(settings.MEDIA_ROOT) / asset.outputs["hls"]).read_text()
    client.force_login(editor)
    kwargs = {field: value}
    body = "WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nสวัสดี\n"
    resp = upload_caption(client, asset, name="th.vtt", body=body, **kwargs)
    assert resp.status_code == 200  # the form again, with the refusal
    assert not CaptionTrack.objects.filter(asset=asset).exists()
    master_after = (Path(settings.MEDIA_ROOT) / asset.outputs["hls"]).read_text()
    assert master_after == master_before
    assert "evil" not in master_after


def test_anonymous_gets_no_original_editor_does(client, editor, clip, django_user_model):
    asset = ready_clip(clip, editor.collection)
    assert client.get(f"/media/{asset.file.name}").status_code == 404
    assert client.get(f"/admin/video-pipeline/{asset.pk}/original/").status_code == 302  # login
    outsider = django_user_model.objects.create_user("editor_b", password="pw")
    outsider.groups.add(Group.objects.create(name="no media"))
    outsider.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(outsider)
    resp = client.get(f"/admin/video-pipeline/{asset.pk}/original/")
    assert resp.status_code in (302, 403) and not resp.has_header("Content-Disposition")
    client.force_login(editor)
    resp = client.get(f"/admin/video-pipeline/{asset.pk}/original/")
    assert resp.status_code == 200 and resp["X-Content-Type-Options"] == "nosniff"
    assert resp["Content-Type"] == "application/octet-stream"
    with open(clip, "rb") as fh:
        assert b"".join(resp.streaming_content) == fh.read()


def test_sendfile_backend_nginx_hands_over_with_x_accel_redirect(client, editor, clip, settings):
    settings.LMS_SENDFILE_BACKEND = "nginx"
    asset = ready_clip(clip, editor.collection)
    client.force_login(editor)
    resp = client.get(f"/admin/video-pipeline/{asset.pk}/original/")
    assert resp.status_code == 200
    assert resp["X-Accel-Redirect"] == settings.LMS_SENDFILE_URL_PREFIX + asset.file.name
    assert resp.content == b""


def issue_certificate() -> Certificate:
    completion = course_complete(user=make_officer(), course=make_course(), reason="all_lessons")
    certificate = Certificate.objects.get(completion=completion)
    certificate_render(certificate_id=certificate.pk)
    certificate.refresh_from_db()
    assert certificate.pdf
    return certificate


def test_certificate_pdf_is_not_on_the_media_route(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        certificate = issue_certificate()
    assert client.get(f"/media/{certificate.pdf.name}").status_code == 404
    assert client.get(f"/media/certificates/{certificate.code}.pdf").status_code == 404
    # The scoped download still works for the owner.
    client.force_login(certificate.completion.user)
    resp = client.get(f"/certificates/{certificate.code}/download/")
    assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf"
    assert b"".join(resp.streaming_content).startswith(b"%PDF-")


def _files(root: Path) -> list[str]:
    return sorted(
        Path(dirpath, name).relative_to(root).as_posix()
        for dirpath, _dirs, names in os.walk(root)
        for name in names
    )


def test_every_private_file_of_a_demo_like_run_is_refused_and_hls_still_plays(
    client, editor, clip, django_capture_on_commit_callbacks
):
    """Seed a clip (with captions) through the pipeline, issue a certificate, then try
    every file on disk through the public route anonymously."""
    asset = ready_clip(clip, editor.collection)
    services.caption_save(
        asset=asset,
        lang="th",
        label="ไทย",
        upload=ContentFile(b"1\n00:00:00,000 --> 00:00:01,000\nhello\n", name="subs.srt"),
    )
    with django_capture_on_commit_callbacks(execute=False):
        certificate = issue_certificate()
    asset.refresh_from_db()
    private_names = {asset.file.name, certificate.pdf.name}
    private_names |= {t.file.name for t in CaptionTrack.objects.all()}

    media_files = _files(Path(settings.MEDIA_ROOT))
    private_files = _files(Path(settings.PRIVATE_ROOT))
    assert private_names <= set(media_files) | set(private_files)
    for name in sorted(private_names | set(private_files)):
        resp = client.get(f"/media/{name}")
        assert resp.status_code in (403, 404), name
    assert not private_names & set(media_files), "private files under MEDIA_ROOT"
    for name in media_files:
        resp = client.get(f"/media/{name}")
        if resp.status_code == 200:
            assert resp["X-Content-Type-Options"] == "nosniff", name
            assert resp["Content-Security-Policy"] == "sandbox", name
    # Public outputs live under the random key, never the database id.
    assert str(asset.public_key) in asset.outputs["hls"]
    assert f"videos/{asset.pk}/" not in asset.outputs["hls"]

    # HLS still plays anonymously: master -> every variant -> init and segments, captions.
    sources = asset.player_sources()
    master_resp = client.get(sources["hls"])
    assert master_resp.status_code == 200
    assert master_resp["Content-Type"] == "application/vnd.apple.mpegurl"
    master = parse_master(b"".join(master_resp.streaming_content).decode())
    base = sources["hls"].rsplit("/", 1)[0]
    subs = [m for m in master["media"] if m["TYPE"] == "SUBTITLES"]
    assert subs
    for uri in [v["URI"] for v in master["variants"]] + [subs[0]["URI"]]:
        playlist = client.get(f"{base}/{uri}")
        assert playlist.status_code == 200, uri
        text = b"".join(playlist.streaming_content).decode()
        folder = f"{base}/{uri}".rsplit("/", 1)[0]
        for line in text.splitlines():
            target = line.split('URI="')[1].split('"')[0] if 'URI="' in line else line
            if target and not target.startswith("#"):
                got = client.get(os.path.normpath(f"{folder}/{target}"))
                assert got.status_code == 200, target
    assert client.get(sources["poster"]).status_code == 200
    assert client.get(sources["captions"][0]["url"])["Content-Type"].startswith("text/vtt")
