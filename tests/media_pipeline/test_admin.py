"""Wagtail admin: state listing, JSON status, retry, re-encode, captions under collections."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.models import Collection, GroupCollectionPermission

from media_pipeline import services
from media_pipeline.models import VideoAsset

pytestmark = pytest.mark.django_db


@pytest.fixture
def agencies(django_user_model):
    root = Collection.get_first_root_node()
    coll_a = root.add_child(name="Agency A")
    coll_b = root.add_child(name="Agency B")
    admin_access = Permission.objects.get(codename="access_admin")
    users = {}
    for key, coll in (("a", coll_a), ("b", coll_b)):
        group = Group.objects.create(name=f"editors {key}")
        group.permissions.add(admin_access)
        for codename in ("add_media", "change_media", "delete_media"):
            GroupCollectionPermission.objects.create(
                group=group,
                collection=coll,
                permission=Permission.objects.get(
                    content_type__app_label="wagtailmedia", codename=codename
                ),
            )
        user = django_user_model.objects.create_user(f"editor_{key}", password="pw")
        user.groups.add(group)
        users[key] = user
    return {"a": coll_a, "b": coll_b, "users": users}


def denied(response) -> bool:
    """Wagtail turns PermissionDenied in admin views into a redirect to the dashboard."""
    return response.status_code == 403 or (
        response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    )


def failed_asset(collection, title="broken") -> VideoAsset:
    asset = services.video_create(
        file=ContentFile(b"#EXTM3U\n", name="x.mp4"),
        title=title,
        collection=collection,
        enqueue=False,
    )
    return services.video_process(asset_id=asset.pk)


def test_listing_shows_only_own_collection_with_state_and_message(client, agencies):
    mine = failed_asset(agencies["a"], "clip of A")
    failed_asset(agencies["b"], "clip of B")
    client.force_login(agencies["users"]["a"])
    response = client.get(reverse("media_pipeline_admin:index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "clip of A" in html and "clip of B" not in html
    assert mine.error_message.split(" / ")[1] in html
    assert 'data-status="failed"' in html


def test_status_endpoint_gives_live_progress_for_visible_assets_only(client, agencies):
    mine = failed_asset(agencies["a"])
    other = failed_asset(agencies["b"])
    VideoAsset.objects.filter(pk=mine.pk).update(status="transcoding", progress_percent=42)
    client.force_login(agencies["users"]["a"])
    data = client.get(
        reverse("media_pipeline_admin:status"), {"ids": f"{mine.pk},{other.pk}"}
    ).json()
    [row] = data["assets"]
    assert (row["id"], row["status"], row["progress"]) == (mine.pk, "transcoding", 42)
    assert row["status_label"] == "กำลังแปลงไฟล์"  # the interface language (Thai here)


def test_retry_respects_collections_and_requeues(
    client, agencies, django_capture_on_commit_callbacks
):
    asset = failed_asset(agencies["a"])
    client.force_login(agencies["users"]["b"])
    url = reverse("media_pipeline_admin:retry", args=[asset.pk])
    assert denied(client.post(url))
    assert VideoAsset.objects.get(pk=asset.pk).status == "failed"
    client.force_login(agencies["users"]["a"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert client.post(url).status_code == 302
    again = VideoAsset.objects.get(pk=asset.pk)
    assert (again.status, again.error_code, again.attempts) == ("uploaded", "", 1)
    assert callbacks, "the probe task is queued on commit"


def test_reencode_and_captions_pages(client, agencies, clips):
    with open(clips["silent"], "rb") as fh:
        asset = services.video_create(
            file=ContentFile(fh.read(), name="s.mp4"),
            title="s",
            collection=agencies["a"],
            enqueue=False,
        )
    asset = services.video_process(asset_id=asset.pk)
    client.force_login(agencies["users"]["a"])
    captions_url = reverse("media_pipeline_admin:captions", args=[asset.pk])
    upload = ContentFile("1\n00:00:00,000 --> 00:00:01,000\nสวัสดี\n".encode(), name="th.srt")
    response = client.post(captions_url, {"lang": "th", "label": "ไทย", "file": upload})
    assert response.status_code == 302
    assert asset.captions.get().lang == "th"
    client.force_login(agencies["users"]["b"])
    assert denied(client.get(captions_url))
    assert denied(client.post(reverse("media_pipeline_admin:reencode", args=[asset.pk])))
    assert VideoAsset.objects.get(pk=asset.pk).status == "ready"
    client.force_login(agencies["users"]["a"])
    client.post(reverse("media_pipeline_admin:reencode", args=[asset.pk]))
    assert VideoAsset.objects.get(pk=asset.pk).status == "uploaded"


def test_upload_through_wagtailmedia_form_is_queued(
    client, agencies, clips, django_capture_on_commit_callbacks
):
    client.force_login(agencies["users"]["a"])
    with open(clips["silent"], "rb") as fh, django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            reverse("wagtailmedia:add", args=["video"]),
            {"title": "uploaded", "file": fh, "collection": agencies["a"].pk},
        )
    assert response.status_code == 302, response.content[:2000]
    asset = VideoAsset.objects.get(title="uploaded")
    assert asset.status == "uploaded" and asset.collection == agencies["a"]
    assert len(callbacks) == 1


def test_listing_shows_chosen_crf_and_vmaf_and_the_av1_stage(client, agencies, clips):
    with open(clips["silent"], "rb") as fh:
        asset = services.video_create(
            file=ContentFile(fh.read(), name="s.mp4"),
            title="q",
            collection=agencies["a"],
            enqueue=False,
        )
    asset = services.video_process(asset_id=asset.pk)
    rung = asset.quality["h264"]["rungs"][0]
    assert rung["points"] and rung["vmaf"] > 0
    client.force_login(agencies["users"]["a"])
    html = client.get(reverse("media_pipeline_admin:index")).content.decode()
    assert f"{rung['rung']}: CRF {rung['crf']}" in html
    assert f"VMAF {rung['vmaf']}" in html
    # The AV1 stage is reported live by the status endpoint (not for other agencies).
    VideoAsset.objects.filter(pk=asset.pk).update(
        stage="av1", av1_status="encoding", av1_percent=37
    )
    data = client.get(reverse("media_pipeline_admin:status"), {"ids": str(asset.pk)}).json()
    [row] = data["assets"]
    assert (row["stage"], row["av1_status"], row["av1_progress"]) == ("av1", "encoding", 37)
    assert row["stage_label"] == "กำลังแปลงเป็น AV1"
    client.force_login(agencies["users"]["b"])
    data = client.get(reverse("media_pipeline_admin:status"), {"ids": str(asset.pk)}).json()
    assert data["assets"] == []
