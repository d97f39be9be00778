"""Issue 17 (media half): status in wagtailmedia's listing and chooser, landing on the
clip's status after upload, deleting clips (outputs gone, usage warned, other agency
refused) and the upload form's stated limits. All through the real admin."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from media_pipeline import services
from media_pipeline import storage as st
from media_pipeline.models import VideoAsset
from tests.factories.pages import make_course, make_lesson
from tests.media_pipeline.helpers import media_path
from tests.media_pipeline.test_admin import agencies, denied, failed_asset  # noqa: F401

pytestmark = pytest.mark.django_db


def test_media_listing_shows_state_percent_reason_and_duration(client, agencies):  # noqa: F811
    broken = failed_asset(agencies["a"], "clip that failed")
    running = failed_asset(agencies["a"], "clip in work")
    VideoAsset.objects.filter(pk=running.pk).update(
        status="transcoding", progress_percent=42, duration=75, error_message=""
    )
    client.force_login(agencies["users"]["a"])
    html = client.get(reverse("wagtailmedia:index")).content.decode()
    assert "สาเหตุที่ล้มเหลว" in html and "ความยาว" in html
    assert broken.error_message in html
    assert "42%" in html and "75 วินาที" in html
    assert 'data-status="failed"' in html and 'data-status="transcoding"' in html
    assert reverse("media_pipeline_admin:detail", args=[running.pk]) in html
    # The stored original's random name tells an editor nothing, and it linked to the file.
    assert Path(running.file.name).name not in html


def test_clip_chooser_shows_state_and_reason(client, agencies):  # noqa: F811
    broken = failed_asset(agencies["a"], "clip that failed")
    client.force_login(agencies["users"]["a"])
    response = client.get(reverse("wagtailmedia:chooser"))
    assert response.status_code == 200
    html = response.json()["html"]
    assert "สาเหตุที่ล้มเหลว" in html
    assert broken.error_message in html
    assert 'data-status="failed"' in html


def test_upload_lands_on_the_clip_status_page(client, agencies, clips):  # noqa: F811
    client.force_login(agencies["users"]["a"])
    with open(clips["plain"], "rb") as fh:
        response = client.post(
            reverse("media_pipeline_admin:upload", args=["video"]),
            {"title": "คลิปใหม่", "file": fh, "collection": agencies["a"].pk},
        )
    asset = VideoAsset.objects.get(title="คลิปใหม่")
    assert response.status_code == 302
    assert response.url == reverse("media_pipeline_admin:detail", args=[asset.pk])
    page = client.get(response.url)
    html = page.content.decode()
    assert f'data-asset-id="{asset.pk}"' in html and "js-progress" in html
    assert "data-pipeline-status-url" in html  # the progress bar polls the status endpoint
    assert not [m for m in page.context["messages"]]  # no green "added" toast on a list


def test_upload_form_states_formats_length_and_frame_limits(client, agencies, settings):  # noqa: F811
    settings.MEDIA_PIPELINE = {**settings.MEDIA_PIPELINE, "MAX_DURATION": 600.0}
    client.force_login(agencies["users"]["a"])
    html = client.get(reverse("wagtailmedia:add", args=["video"])).content.decode()
    assert "MP4, MOV" in html
    assert "ความยาวไม่เกิน 10 นาที" in html  # read from MEDIA_PIPELINE["MAX_DURATION"]
    long, short = settings.MEDIA_PIPELINE["MAX_FRAME"]
    assert f"{long}×{short}" in html
    assert reverse("media_pipeline_admin:upload", args=["video"]) in html


def _visible_intro(html: str) -> list[str]:
    """The status page's sentences that are not hidden."""
    intro = re.search(r'<div class="js-intro".*?</div>', html, re.S).group(0)
    return [
        t for attrs, t in re.findall(r"<p ([^>]*)>(.*?)</p>", intro, re.S) if "hidden" not in attrs
    ]


@pytest.mark.parametrize(
    ("status", "sentence"),
    [
        ("transcoding", "ระบบกำลังเตรียมวิดีโอ"),
        ("ready", "วิดีโอพร้อมแล้ว"),
        ("failed", "เตรียมวิดีโอไม่สำเร็จ"),
    ],
)
def test_status_page_says_what_state_the_clip_is_in(client, agencies, status, sentence):  # noqa: F811
    """A ready clip's page used to say the video was still being prepared."""
    asset = failed_asset(agencies["a"], "clip of A")
    VideoAsset.objects.filter(pk=asset.pk).update(status=status)
    client.force_login(agencies["users"]["a"])
    html = client.get(reverse("media_pipeline_admin:detail", args=[asset.pk])).content.decode()
    shown = _visible_intro(html)
    assert len(shown) == 1 and sentence in shown[0], shown


def test_status_page_of_other_agency_clip_is_refused(client, agencies):  # noqa: F811
    theirs = failed_asset(agencies["a"], "clip of A")
    client.force_login(agencies["users"]["b"])
    response = client.get(reverse("media_pipeline_admin:detail", args=[theirs.pk]))
    assert denied(response)
    assert "clip of A" not in response.content.decode()


def test_delete_confirmation_warns_and_lists_lessons_using_the_clip(client, agencies):  # noqa: F811
    clip = failed_asset(agencies["a"], "clip in use")
    lesson = make_lesson(make_course(), clip=clip)
    client.force_login(agencies["users"]["a"])
    html = client.get(reverse("wagtailmedia:delete", args=[clip.pk])).content.decode()
    assert "คลิปนี้ถูกใช้อยู่ในหน้าต่อไปนี้" in html
    assert lesson.title in html
    assert reverse("wagtailadmin_pages:edit", args=[lesson.pk]) in html


def test_other_agency_editor_cannot_see_or_forge_delete(client, agencies):  # noqa: F811
    theirs = failed_asset(agencies["a"], "clip of A")
    client.force_login(agencies["users"]["b"])
    url = reverse("wagtailmedia:delete", args=[theirs.pk])
    page = client.get(url)
    assert denied(page) and "clip of A" not in page.content.decode()
    assert denied(client.post(url))
    assert VideoAsset.objects.filter(pk=theirs.pk).exists()


def test_deleting_a_failed_clip_keeps_nothing(
    client,
    agencies,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    clip = failed_asset(agencies["a"], "broken")
    original = Path(clip.file.path)
    assert original.exists()
    client.force_login(agencies["users"]["a"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("wagtailmedia:delete", args=[clip.pk]))
    assert response.status_code == 302
    assert not VideoAsset.objects.filter(pk=clip.pk).exists()
    assert not original.exists()
    assert not original.parent.exists()
    assert not media_path(st.asset_dir(clip.public_key)).exists()


def test_deleting_a_ready_clip_through_admin_removes_every_output(
    client,
    agencies,  # noqa: F811
    clips,
    django_capture_on_commit_callbacks,
):
    from tests.media_pipeline.helpers import ingest

    clip = ingest(clips["silent"])
    VideoAsset.objects.filter(pk=clip.pk).update(collection=agencies["a"])
    outputs = [media_path(clip.outputs[k]) for k in ("hls", "mp4", "poster", "sprite")]
    assert all(p.exists() for p in outputs)
    client.force_login(agencies["users"]["a"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("wagtailmedia:delete", args=[clip.pk]))
    assert not any(p.exists() for p in outputs)
    assert not media_path(st.asset_dir(clip.public_key)).exists()


def test_deleting_while_transcoding_ends_the_task_cleanly(
    clips, monkeypatch, django_capture_on_commit_callbacks
):
    from django.core.files import File

    with open(clips["plain"], "rb") as fh:
        asset = services.video_create(file=File(fh, name="plain.mp4"), title="t", enqueue=False)
    services.video_probe(asset_id=asset.pk, enqueue=False)
    real_run = services.run_ffmpeg
    calls = []

    def delete_then_run(argv, **kwargs):
        if not calls:  # the first run (CRF search or encode): the editor deletes the clip
            with django_capture_on_commit_callbacks(execute=True):
                VideoAsset.objects.get(pk=asset.pk).delete()
        calls.append(argv)
        return real_run(argv, **kwargs)

    monkeypatch.setattr(services, "run_ffmpeg", delete_then_run)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.video_transcode(asset_id=asset.pk, enqueue_av1=False) is None
    assert calls
    assert not VideoAsset.objects.filter(pk=asset.pk).exists()
    assert not media_path(st.asset_dir(asset.public_key)).exists()
    assert not (Path(settings.MEDIA_ROOT) / "videos" / str(asset.public_key)).exists()


def test_upload_form_has_the_editors_own_collection_and_refuses_a_forged_one(
    client,
    agencies,  # noqa: F811
    clips,
):
    """An editor of one agency meets no collection choice (theirs is the only one the form
    offers, so it is the one used); a collection of another agency posted by hand is refused
    and nothing lands there."""
    client.force_login(agencies["users"]["b"])
    form = client.get(reverse("wagtailmedia:add", args=["video"]))
    html = form.content.decode()
    assert form.status_code == 200
    assert f'value="{agencies["a"].pk}"' not in html
    with open(clips["plain"], "rb") as fh:
        response = client.post(
            reverse("media_pipeline_admin:upload", args=["video"]),
            {"title": "คลิปปลอมของกรม ก", "file": fh, "collection": agencies["a"].pk},
        )
    assert not VideoAsset.objects.filter(collection=agencies["a"]).exists()
    asset = VideoAsset.objects.filter(title="คลิปปลอมของกรม ก").first()
    assert asset is None or asset.collection == agencies["b"], response.status_code
