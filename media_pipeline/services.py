"""Writes of the media pipeline: create, probe, transcode, fail, retry, captions, watchdog.

Each state change goes through a conditional UPDATE (a database claim), so a
redelivered or duplicated task finds the work taken and leaves at once, while
work whose worker died can be taken over.
"""

from __future__ import annotations

import logging
import math
import os
import posixpath
import re
import shutil
import socket
import tempfile
import time
import uuid
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Collection

from . import quality as q
from . import storage as st
from .commands import (
    AUDIO_DIR,
    AUDIO_ONLY_DIR,
    THUMBS_DIR,
    build_av1_transcode,
    build_mp4_remux,
    build_sprite,
    build_transcode,
    plan_sprite,
)
from .errors import PipelineError, message_for
from .hls import (
    av1_codecs_string,
    parse_master,
    render_master,
    sprite_vtt,
    subtitle_playlist,
    to_webvtt,
)
from .ladder import mp4_rung, plan_ladder
from .models import Av1Status, CaptionTrack, VideoAsset, VideoStatus
from .probe import SourceInfo, probe
from .runner import run_ffmpeg, run_quick
from .signals import video_failed, video_ready

logger = logging.getLogger(__name__)
ACTIVE = (VideoStatus.PROBING, VideoStatus.TRANSCODING)
QUEUE_SLACK = timedelta(hours=1)  # how long a transcode may wait in the queue
SEARCH_SHARE = 15  # percent of the progress bar given to the CRF search
# Per ladder: the claim's field, the percent field and the heartbeat field.
TRACKS = {
    "h264": ("claim_token", "progress_percent", "heartbeat_at"),
    "av1": ("av1_token", "av1_percent", "av1_heartbeat_at"),
}


class ClaimLost(Exception):
    """Someone else owns this asset's work now; stop quietly."""


def _conf(key: str):
    return settings.MEDIA_PIPELINE[key]


def time_limits(duration: float) -> tuple[int, int]:
    """(soft, hard) Celery time limits in seconds for transcoding a clip this long."""
    hard = int(_conf("TIME_LIMIT_BASE") + _conf("TIME_LIMIT_PER_SECOND") * max(duration, 1))
    return int(hard * 0.9), hard


def av1_time_limits(duration: float) -> tuple[int, int]:
    """(soft, hard) Celery time limits for the AV1 ladder of a clip this long."""
    hard = int(_conf("TIME_LIMIT_BASE") + _conf("AV1_TIME_LIMIT_PER_SECOND") * max(duration, 1))
    return int(hard * 0.9), hard


# --- creating and enqueueing -------------------------------------------------------------


@transaction.atomic
def video_create(
    *,
    file: File,
    title: str,
    collection: Collection | None = None,
    user=None,
    enqueue: bool = True,
) -> VideoAsset:
    """Store an uploaded original and (on commit) queue it for probing."""
    asset = VideoAsset(
        title=title[:255],
        type="video",
        uploaded_by_user=user,
        collection=collection or _root_collection(),
    )
    asset.file.save(os.path.basename(file.name or "clip"), file, save=False)
    asset.status_changed_at = timezone.now()
    # No extension check here: the probe decides what is media, whatever the name says.
    asset._pipeline_enqueue = False  # enqueued (or not) below, not by the post_save receiver
    asset.save()
    if enqueue:
        video_enqueue(asset=asset)
    return asset


def _root_collection() -> Collection:
    # Wagtail's migration makes the root; a flushed database (transactional tests) may not have it.
    return Collection.get_first_root_node() or Collection.add_root(name="Root")


def video_enqueue(*, asset: VideoAsset) -> None:
    from .tasks import probe_video

    probe_video.delay_on_commit(asset.pk)


def _enqueue_transcode(asset_id: int, duration: float) -> None:
    from .tasks import transcode_video

    soft, hard = time_limits(duration)
    transcode_video.apply_async_on_commit((asset_id,), soft_time_limit=soft, time_limit=hard)


# --- claims ----------------------------------------------------------------------------


def _pid_alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _claim(asset_id: int, *, from_status: str, to_status: str, token: str, hard: int) -> bool:
    """Take the asset's work: fresh from ``from_status``, or from a dead claimant."""
    now = timezone.now()
    fields = {
        "status": to_status,
        "claim_token": token,
        "claim_host": socket.gethostname()[:255],
        "claim_pid": os.getpid(),
        "claimed_at": now,
        "heartbeat_at": now,
        "deadline_at": now + timedelta(seconds=hard),
        "status_changed_at": now,
    }
    qs = VideoAsset.objects.filter(pk=asset_id)
    fresh = {"status": from_status}
    if from_status == to_status:
        fresh["claim_token"] = ""
    if qs.filter(**fresh).update(**fields, progress_percent=0):
        return True
    current = qs.filter(status=to_status).exclude(claim_token="").first()
    if current is None:
        return False
    stale = current.heartbeat_at is None or current.heartbeat_at < now - timedelta(
        seconds=_conf("HEARTBEAT_STALE_SECONDS")
    )
    dead_here = current.claim_host == fields["claim_host"] and not _pid_alive(current.claim_pid)
    if not (stale or dead_here):
        return False  # a live worker has it: this delivery is a duplicate
    # The previous worker died (SIGKILL, OOM, power): take the work over.
    logger.warning("asset %s: taking over work from dead claim %s", asset_id, current.claim_token)
    return bool(qs.filter(claim_token=current.claim_token).update(**fields, progress_percent=0))


def _release(asset_id: int, token: str, status: str) -> None:
    VideoAsset.objects.filter(pk=asset_id, claim_token=token).update(
        status=status, claim_token="", claim_pid=None, heartbeat_at=None
    )


# --- failing, retrying -------------------------------------------------------------------


def video_mark_failed(
    *,
    asset_id: int,
    code: str,
    detail: str = "",
    params: dict | None = None,
    token: str | None = None,
) -> bool:
    """Fail the asset with a reason code and a Thai/English message; the original stays."""
    qs = VideoAsset.objects.filter(pk=asset_id)
    if token is not None:
        qs = qs.filter(claim_token=token)
    with transaction.atomic():
        updated = qs.update(
            status=VideoStatus.FAILED,
            error_code=code,
            error_message=message_for(code, params),
            claim_token="",
            claim_pid=None,
            heartbeat_at=None,
            status_changed_at=timezone.now(),
        )
        if updated:
            if detail:
                logger.info("asset %s failed (%s): %s", asset_id, code, detail[-1000:])

            def send() -> None:
                asset = VideoAsset.objects.filter(pk=asset_id).first()
                if asset is not None:
                    video_failed.send(sender=VideoAsset, asset=asset)

            transaction.on_commit(send)
    return bool(updated)


@transaction.atomic
def video_retry(*, asset: VideoAsset) -> VideoAsset:
    """Queue a failed asset again from the start."""
    if asset.status != VideoStatus.FAILED:
        raise ValidationError("Only a failed clip can be retried.")
    return _restart(asset)


@transaction.atomic
def video_reencode(*, asset: VideoAsset) -> VideoAsset:
    """Queue a ready or failed asset for a fresh encode (e.g. after a ladder change)."""
    if asset.is_active:
        raise ValidationError("The clip is already being processed.")
    return _restart(asset)


def _restart(asset: VideoAsset) -> VideoAsset:
    VideoAsset.objects.filter(pk=asset.pk).update(
        status=VideoStatus.UPLOADED,
        error_code="",
        error_message="",
        progress_percent=0,
        claim_token="",
        claim_pid=None,
        heartbeat_at=None,
        deadline_at=None,
        stage="",
        av1_status=Av1Status.NONE,
        av1_token="",
        av1_percent=0,
        attempts=asset.attempts + 1,
        probe_deliveries=0,
        status_changed_at=timezone.now(),
    )
    asset.refresh_from_db()
    video_enqueue(asset=asset)
    return asset


def video_watchdog(*, now: datetime | None = None) -> list[int]:
    """Fail assets whose work outlived its hard limit with nobody alive working on it."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=_conf("HEARTBEAT_STALE_SECONDS"))
    stuck = VideoAsset.objects.filter(status__in=ACTIVE, deadline_at__lt=now).exclude(
        heartbeat_at__gte=stale
    )
    failed = []
    for asset in stuck:
        if video_mark_failed(asset_id=asset.pk, code="worker_lost", token=asset.claim_token):
            failed.append(asset.pk)
    return failed


# --- probing -------------------------------------------------------------------------------


def video_probe(*, asset_id: int, enqueue: bool = True) -> SourceInfo | None:
    """Probe the original and refuse early; on success hand over to transcoding."""
    token = uuid.uuid4().hex
    if not _claim(
        asset_id,
        from_status=VideoStatus.UPLOADED,
        to_status=VideoStatus.PROBING,
        token=token,
        hard=300,
    ):
        return None
    # Count the delivery before touching the file: if PyAV takes the worker down, the
    # redelivered task sees the count and fails the clip instead of crashing again.
    VideoAsset.objects.filter(pk=asset_id, claim_token=token).update(
        probe_deliveries=F("probe_deliveries") + 1
    )
    asset = VideoAsset.objects.get(pk=asset_id)
    if asset.probe_deliveries > _conf("MAX_PROBE_DELIVERIES"):
        video_mark_failed(
            asset_id=asset_id,
            code="probe_crashed",
            detail=f"{asset.probe_deliveries - 1} deliveries did not finish",
            token=token,
        )
        return None
    try:
        with st.source_file(asset.file.storage, asset.file.name) as path:
            info = probe(path)
    except PipelineError as exc:
        if exc.transient:
            # The probe finished (storage failed): this delivery did not crash.
            VideoAsset.objects.filter(pk=asset_id, claim_token=token).update(
                probe_deliveries=F("probe_deliveries") - 1
            )
            _release(asset_id, token, VideoStatus.UPLOADED)
            raise
        video_mark_failed(
            asset_id=asset_id, code=exc.code, detail=exc.detail, params=exc.params, token=token
        )
        return None
    soft, hard = time_limits(info.duration)
    with transaction.atomic():
        updated = VideoAsset.objects.filter(pk=asset_id, claim_token=token).update(
            status=VideoStatus.TRANSCODING,
            claim_token="",
            claim_pid=None,
            heartbeat_at=None,
            progress_percent=0,
            probe_deliveries=0,
            duration=info.duration,
            width=info.width,
            height=info.height,
            source_info=info.as_dict(),
            deadline_at=timezone.now() + timedelta(seconds=hard) + QUEUE_SLACK,
            status_changed_at=timezone.now(),
        )
        if updated and enqueue:
            _enqueue_transcode(asset_id, info.duration)
    return info if updated else None


# --- transcoding ---------------------------------------------------------------------------


def video_transcode(*, asset_id: int, enqueue_av1: bool = True) -> VideoAsset | None:
    """Encode the ladder, publish the outputs in one step and mark the asset ready."""
    token = uuid.uuid4().hex
    asset = VideoAsset.objects.filter(pk=asset_id).first()
    if asset is None:
        return None
    soft, hard = time_limits(float(asset.duration or 0) or _conf("MAX_DURATION"))
    if not _claim(
        asset_id,
        from_status=VideoStatus.TRANSCODING,
        to_status=VideoStatus.TRANSCODING,
        token=token,
        hard=hard,
    ):
        return None
    asset.refresh_from_db()
    storage = default_storage  # outputs are public; the original stays in private storage
    try:
        with st.source_file(asset.file.storage, asset.file.name) as path:
            info = probe(path)
            rungs = plan_ladder(info)
            work = st.make_work_dir(storage, st.asset_dir(asset.public_key))
            try:
                _set_stage(asset_id, token, "quality")
                plan, content = _plan_quality(path, info, rungs, q.h264(), asset_id, token)
                _set_stage(asset_id, token, "encode")
                argv = build_transcode(
                    source_path=path,
                    source=info,
                    rungs=rungs,
                    work_dir=work,
                    crfs=[r["crf"] for r in plan["rungs"]],
                    content=content,
                )
                run_ffmpeg(
                    argv,
                    on_progress=_progress_saver(asset_id, token, info.duration, start=SEARCH_SHARE),
                    deadline=time.monotonic() + soft - 15,
                    stall_seconds=_conf("STALL_SECONDS"),
                )
                result = _finish_outputs(asset, info, rungs, work)
                result["quality"] = plan
                prefix = posixpath.join(st.asset_dir(asset.public_key), token[:16])
                st.publish(storage, work, prefix)
            finally:
                shutil.rmtree(work, ignore_errors=True)
    except ClaimLost:
        return None
    except PipelineError as exc:
        if exc.transient:
            _release(asset_id, token, VideoStatus.TRANSCODING)
            raise
        video_mark_failed(
            asset_id=asset_id, code=exc.code, detail=exc.detail, params=exc.params, token=token
        )
        return None
    return _mark_ready(asset_id, token, prefix, result, info, enqueue_av1=enqueue_av1)


def video_process(*, asset_id: int, av1: bool = True) -> VideoAsset:
    """Probe and transcode in this process (import_clips --wait, the demo seed).

    The AV1 ladder (when switched on, and ``av1``) follows here too, after the clip is
    ready with H.264; the demo seed passes ``av1=False``.
    """
    if video_probe(asset_id=asset_id, enqueue=False) is not None:
        video_transcode(asset_id=asset_id, enqueue_av1=False)
        if av1 and q.av1_enabled():
            video_encode_av1(asset_id=asset_id)
    return VideoAsset.objects.get(pk=asset_id)


def _set_stage(asset_id: int, token: str, stage: str, *, field: str = "claim_token") -> None:
    if not VideoAsset.objects.filter(pk=asset_id, **{field: token}).update(stage=stage):
        raise ClaimLost


def _plan_quality(path, info, rungs, encoder, asset_id, token, **kw):
    """The CRF search in a scratch folder beside ``work``; progress 0..SEARCH_SHARE %."""
    # Private scratch space: the sample is a lossless copy of parts of the (private)
    # original, so it never goes near the public output folders.
    scratch = Path(tempfile.mkdtemp(prefix="media-quality-"))
    token_field, percent_field, heartbeat = TRACKS[encoder.codec]

    def step(done: int, total: int) -> None:
        updated = VideoAsset.objects.filter(pk=asset_id, **{token_field: token}).update(
            **{percent_field: int(SEARCH_SHARE * done / total), heartbeat: timezone.now()}
        )
        if not updated:
            raise ClaimLost

    try:
        plan = q.plan_quality(
            source_path=path,
            source=info,
            rungs=rungs,
            encoder=encoder,
            work=scratch,
            fixed_crf=_conf("CRF"),
            on_step=step,
            **kw,
        )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    content = plan.pop("_content")
    return plan, content


def _progress_saver(
    asset_id: int,
    token: str,
    duration: float,
    *,
    start: int = 0,
    track: str = "h264",
):
    """Save percent done (``start``..99 over the run) and a heartbeat every few seconds."""
    token_field, percent_field, heartbeat_field = TRACKS[track]
    every = _conf("PROGRESS_SAVE_SECONDS")
    last = [0.0]

    def save(seconds: float) -> None:
        now = time.monotonic()
        if now - last[0] < every:
            return
        last[0] = now
        done = seconds / max(duration, 0.001)
        percent = max(0, min(99, int(start + done * (100 - start))))
        updated = VideoAsset.objects.filter(pk=asset_id, **{token_field: token}).update(
            **{percent_field: percent, heartbeat_field: timezone.now()}
        )
        if not updated:
            raise ClaimLost

    return save


def _concat(parts: list[Path], target: Path) -> Path:
    with open(target, "wb") as out:
        for part in parts:
            with open(part, "rb") as fh:
                shutil.copyfileobj(fh, out, 1024 * 1024)
    return target


def _fmp4_parts(folder: Path) -> list[Path]:
    return sorted(folder.glob("init*.mp4")) + sorted(folder.glob("seg_*.m4s"))


def _bandwidth(folder: Path, duration: float) -> int:
    size = sum(p.stat().st_size for p in folder.glob("seg_*.m4s"))
    return int(size * 8 / max(duration, 0.001) * 1.1)


def _finish_outputs(asset: VideoAsset, info: SourceInfo, rungs, work: Path) -> dict:
    """MP4 remux, sprite map and our master playlist, all inside ``work``."""
    ff_master = parse_master((work / "master.m3u8").read_text())
    by_uri = {v["URI"]: v for v in ff_master["variants"]}
    variants = []
    for rung in rungs:
        uri = f"{rung.name}/index.m3u8"
        v = by_uri.get(uri)
        if v is None or not (work / rung.name).is_dir():
            raise PipelineError("transcode_failed", detail=f"rung {rung.name} missing")
        variants.append(
            {
                "name": rung.name,
                "width": rung.width,
                "height": rung.height,
                "bandwidth": int(v["BANDWIDTH"]),
                "average_bandwidth": int(v.get("AVERAGE-BANDWIDTH") or v["BANDWIDTH"]),
                "codecs": v["CODECS"],
                "uri": uri,
            }
        )
    has_audio = (work / AUDIO_DIR / "index.m3u8").exists()
    audio = {"uri": f"{AUDIO_DIR}/index.m3u8"} if has_audio else None
    audio_only = None
    if (work / AUDIO_ONLY_DIR / "index.m3u8").exists():
        audio_only = {
            "uri": f"{AUDIO_ONLY_DIR}/index.m3u8",
            "bandwidth": _bandwidth(work / AUDIO_ONLY_DIR, info.duration),
        }

    # Progressive MP4: the chosen rung's fMP4 fragments, copied (no second encode).
    rung = mp4_rung(rungs)
    scratch = Path(tempfile.mkdtemp(prefix="mp4-", dir=work.parent))
    try:
        video = _concat(_fmp4_parts(work / rung.name), scratch / "video.mp4")
        audio_file = (
            _concat(_fmp4_parts(work / AUDIO_DIR), scratch / "audio.mp4") if has_audio else None
        )
        run_quick(build_mp4_remux(video=video, audio=audio_file, output=work / "download.mp4"))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    sprite = plan_sprite(info)
    run_quick(build_sprite(work_dir=work, sprite=sprite))
    shutil.rmtree(work / THUMBS_DIR, ignore_errors=True)
    (work / "sprite.vtt").write_text(
        sprite_vtt(
            image_uri="sprite.jpg",
            duration=info.duration,
            interval=sprite.interval,
            count=sprite.count,
            columns=sprite.columns,
            width=sprite.thumb_width,
            height=sprite.thumb_height,
        )
    )
    master: dict[str, Any] = {"variants": variants, "audio": audio, "audio_only": audio_only}
    (work / "master.m3u8").write_text(render_master(**master, subtitles=_subtitle_entries(asset)))
    for name in ("poster.jpg", "sprite.jpg", "download.mp4"):
        if not (work / name).is_file():
            raise PipelineError("transcode_failed", detail=f"{name} missing")
    return {"master": master, "has_audio": has_audio}


def _mark_ready(
    asset_id: int,
    token: str,
    prefix: str,
    result: dict,
    info: SourceInfo,
    *,
    enqueue_av1: bool = True,
) -> VideoAsset | None:
    master = result["master"]
    outputs = {
        "prefix": prefix,
        "hls": f"{prefix}/master.m3u8",
        "mp4": f"{prefix}/download.mp4",
        "poster": f"{prefix}/poster.jpg",
        "sprite": f"{prefix}/sprite.jpg",
        "sprite_vtt": f"{prefix}/sprite.vtt",
        "audio_only": f"{prefix}/{master['audio_only']['uri']}" if master["audio_only"] else None,
        "master": master,
    }
    with transaction.atomic():
        asset = VideoAsset.objects.select_for_update().filter(pk=asset_id).first()
        if asset is None or asset.claim_token != token:
            transaction.on_commit(lambda: st.delete_tree(default_storage, prefix))
            return None
        old_prefix = asset.output_prefix
        asset.status = VideoStatus.READY
        asset.progress_percent = 100
        asset.error_code = asset.error_message = ""
        asset.output_prefix = prefix
        asset.outputs = outputs
        asset.renditions = [_rendition(v, "h264") for v in master["variants"]]
        asset.duration, asset.width, asset.height = info.duration, info.width, info.height
        asset.claim_token, asset.claim_pid, asset.heartbeat_at = "", None, None
        asset.stage = ""
        asset.quality = {"h264": result["quality"]}
        av1 = q.av1_enabled()
        asset.av1_status = Av1Status.QUEUED if av1 else Av1Status.NONE
        asset.av1_token, asset.av1_percent = "", 0
        asset.status_changed_at = timezone.now()
        asset.save()
        if av1 and enqueue_av1:
            _enqueue_av1(asset_id, info.duration)
        if old_prefix and old_prefix != prefix:
            transaction.on_commit(lambda: st.delete_tree(default_storage, old_prefix))
        transaction.on_commit(lambda: video_ready.send(sender=VideoAsset, asset=asset))
    return asset


# --- captions ------------------------------------------------------------------------------


def _subtitle_entries(asset: VideoAsset) -> list[dict]:
    return [
        {
            "lang": c.lang,
            "label": c.label,
            "uri": "../captions/" + posixpath.basename(c.playlist_name),
        }
        for c in asset.captions.all()
        if c.playlist_name
    ]


def _rewrite_master(asset: VideoAsset) -> None:
    master = asset.outputs.get("master")
    if not (asset.is_ready and master and asset.outputs.get("hls")):
        return
    text = render_master(**master, subtitles=_subtitle_entries(asset))
    st.write_text(default_storage, asset.outputs["hls"], text)


# BCP 47 shape: a 2-3 letter language, then subtags of 1-8 letters or digits.
LANG_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8}){0,3}")
LABEL_FORBIDDEN = set("\"'`\\<>")
MAX_CAPTION_BYTES = 2 * 1024 * 1024


def caption_validate_meta(*, lang: str, label: str) -> tuple[str, str]:
    """The language tag and label, or ValidationError: both end up in the HLS master."""
    lang, label = (lang or "").strip(), (label or "").strip()
    if len(lang) > 16 or not LANG_TAG.fullmatch(lang):
        raise ValidationError(_("รหัสภาษาไม่ถูกต้อง ใช้รูปแบบ BCP 47 เช่น th หรือ en-US"))
    if (
        not label
        or len(label) > 64
        or any(not ch.isprintable() or ch in LABEL_FORBIDDEN for ch in label)
    ):
        raise ValidationError(_("ชื่อคำบรรยายต้องยาว 1-64 ตัวอักษร ไม่มีอักขระควบคุม เครื่องหมายคำพูด หรือ < >"))
    return lang, label


@transaction.atomic
def caption_save(*, asset: VideoAsset, lang: str, label: str, upload: File) -> CaptionTrack:
    """Store a caption upload (WebVTT or SRT) privately and publish it as clean WebVTT."""
    lang, label = caption_validate_meta(lang=lang, label=label)
    if upload.size is not None and upload.size > MAX_CAPTION_BYTES:
        raise ValidationError(_("ไฟล์คำบรรยายใหญ่เกินไป"))
    raw = upload.read(MAX_CAPTION_BYTES + 1)
    if len(raw) > MAX_CAPTION_BYTES:
        raise ValidationError(_("ไฟล์คำบรรยายใหญ่เกินไป"))
    try:
        vtt = to_webvtt(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValidationError(_("ไฟล์คำบรรยายต้องเป็น WebVTT หรือ SRT (UTF-8)")) from exc
    storage = default_storage
    track = CaptionTrack.objects.filter(asset=asset, lang=lang).first() or CaptionTrack(
        asset=asset, lang=lang
    )
    old = (track.vtt_name, track.playlist_name)
    track.label = label[:64]
    upload.seek(0)
    old_source = track.file.name
    track.file.save("source", upload, save=False)  # private; the name is generated
    # Public, clean WebVTT under a generated name: the uploader's name is never used.
    stem = f"{st.asset_dir(asset.public_key)}/captions/{lang}-{uuid.uuid4().hex[:12]}"
    track.vtt_name = st.write_text(storage, f"{stem}.vtt", vtt)
    duration = float(asset.duration or 0) or 1.0
    track.playlist_name = st.write_text(
        storage,
        f"{stem}.m3u8",
        subtitle_playlist(vtt_uri=posixpath.basename(track.vtt_name), duration=duration),
    )
    track.save()
    for name in old:
        if name:
            transaction.on_commit(partial(storage.delete, name))
    if old_source and old_source != track.file.name:
        source_storage = track.file.storage
        transaction.on_commit(lambda: source_storage.delete(old_source))
    _rewrite_master(asset)
    return track


@transaction.atomic
def caption_delete(*, track: CaptionTrack) -> None:
    asset, source_storage, source = track.asset, track.file.storage, track.file.name
    names = [track.vtt_name, track.playlist_name]
    track.delete()
    _rewrite_master(asset)
    for name in names:
        if name:
            transaction.on_commit(partial(default_storage.delete, name))
    if source:
        transaction.on_commit(lambda: source_storage.delete(source))


def video_delete_files(*, public_key, output_prefix: str, file_name: str, storage) -> None:
    """Remove the original, caption sources and every output of a deleted asset (on commit)."""
    st.delete_tree(default_storage, st.asset_dir(public_key))
    if output_prefix:  # outputs made before the random folders (videos/<id>/<token>/)
        st.delete_tree(default_storage, output_prefix)
    st.delete_tree(storage, f"captions-src/{public_key}")
    st.delete_tree(storage, f"originals/{public_key}")
    if file_name:
        storage.delete(file_name)


def progress_fraction(asset: VideoAsset) -> float:
    return 1.0 if asset.is_ready else math.floor(asset.progress_percent) / 100


def _rendition(variant: dict, codec: str) -> dict:
    out = {k: variant[k] for k in ("name", "width", "height", "bandwidth", "codecs")}
    out["codec"] = codec
    return out


# --- the AV1 ladder ------------------------------------------------------------------------


def _enqueue_av1(asset_id: int, duration: float) -> None:
    from .tasks import encode_av1

    soft, hard = av1_time_limits(duration)
    encode_av1.apply_async_on_commit((asset_id,), soft_time_limit=soft, time_limit=hard)


def _claim_av1(asset_id: int, token: str) -> bool:
    """Take the AV1 work: queued, or encoding under a worker whose heartbeat stopped."""
    now = timezone.now()
    fields = {
        "av1_status": Av1Status.ENCODING,
        "av1_token": token,
        "av1_heartbeat_at": now,
        "av1_percent": 0,
    }
    ready = VideoAsset.objects.filter(pk=asset_id, status=VideoStatus.READY)
    if ready.filter(av1_status=Av1Status.QUEUED).update(**fields):
        return True
    stale = now - timedelta(seconds=_conf("HEARTBEAT_STALE_SECONDS"))
    return bool(
        ready.filter(av1_status=Av1Status.ENCODING)
        .exclude(av1_heartbeat_at__gte=stale)
        .update(**fields)
    )


def _content_from(record: dict) -> q.ContentStats | None:
    c = (record or {}).get("content")
    if not c:
        return None
    return q.ContentStats(
        c["kind"], c["still_fraction"], c["ti_median"], c["entropy_median"], c.get("flat_fraction")
    )


def video_encode_av1(*, asset_id: int) -> VideoAsset | None:
    """Encode the AV1 ladder of a ready clip and add it to the published master playlist.

    The rungs, segment length and keyframe instants are the H.264 ladder's, so a player
    may switch between them; the audio group is shared. Published like the rest: a
    finished folder renamed into place, then the master replaced by one rename.
    """
    token = uuid.uuid4().hex
    if not _claim_av1(asset_id, token):
        return None
    asset = VideoAsset.objects.get(pk=asset_id)
    prefix = asset.output_prefix
    storage = default_storage
    soft, _hard = av1_time_limits(float(asset.duration or 1))
    folder = f"av1-{token[:8]}"
    try:
        with st.source_file(asset.file.storage, asset.file.name) as path:
            info = probe(path)
            rungs = plan_ladder(info)
            content = _content_from(asset.quality.get("h264"))
            work = st.make_work_dir(storage, st.asset_dir(asset.public_key))
            try:
                _set_stage(asset_id, token, "av1", field="av1_token")
                plan, content = _plan_quality(
                    path,
                    info,
                    rungs,
                    q.av1(),
                    asset_id,
                    token,
                    content=content,
                )
                argv = build_av1_transcode(
                    source_path=path,
                    source=info,
                    rungs=rungs,
                    work_dir=work,
                    crfs=[r["crf"] for r in plan["rungs"]],
                    content=content,
                )
                run_ffmpeg(
                    argv,
                    on_progress=_progress_saver(
                        asset_id,
                        token,
                        info.duration,
                        start=SEARCH_SHARE,
                        track="av1",
                    ),
                    deadline=time.monotonic() + soft - 15,
                    stall_seconds=_conf("STALL_SECONDS"),
                )
                audio_bps = (
                    _conf("AUDIO_BITRATE_K") * 1000 if asset.outputs["master"].get("audio") else 0
                )
                # CODECS lists every codec of the variant: the shared audio group's too.
                h264_codecs = asset.outputs["master"]["variants"][0]["codecs"].split(",")
                audio_codecs = [c for c in h264_codecs if not c.startswith("avc1")]
                variants = _av1_variants(
                    rungs, work, folder, info.duration, audio_bps, audio_codecs
                )
                target = posixpath.join(prefix, folder)
                st.publish(storage, work, target)
            finally:
                shutil.rmtree(work, ignore_errors=True)
    except ClaimLost:
        return None
    except PipelineError as exc:
        if exc.transient:
            VideoAsset.objects.filter(pk=asset_id, av1_token=token).update(
                av1_status=Av1Status.QUEUED, av1_token="", av1_heartbeat_at=None
            )
            raise
        logger.info("asset %s: AV1 ladder failed (%s): %s", asset_id, exc.code, exc.detail[-1000:])
        VideoAsset.objects.filter(pk=asset_id, av1_token=token).update(
            av1_status=Av1Status.FAILED, av1_token="", stage=""
        )
        return None
    return _add_av1(asset_id, token, prefix, folder, variants, plan)


def _av1_variants(
    rungs, work: Path, folder: str, duration: float, audio_bps: int, audio_codecs: list[str]
) -> list[dict]:
    variants = []
    for rung in rungs:
        rung_dir = work / rung.name
        init = next(iter(sorted(rung_dir.glob("init*.mp4"))), None)
        if init is None or not (rung_dir / "index.m3u8").is_file():
            raise PipelineError("transcode_failed", detail=f"AV1 rung {rung.name} missing")
        sizes = [p.stat().st_size for p in rung_dir.glob("seg_*.m4s")]
        seg = _conf("SEGMENT_SECONDS")
        average = int(sum(sizes) * 8 / max(duration, 0.001))
        peak = int(max(sizes, default=0) * 8 / seg) if duration > seg else average
        variants.append(
            {
                "name": f"av1-{rung.name}",
                "width": rung.width,
                "height": rung.height,
                "bandwidth": max(peak, average, 1) + audio_bps,
                "average_bandwidth": max(average, 1) + audio_bps,
                "codecs": ",".join([av1_codecs_string(init.read_bytes()), *audio_codecs]),
                "uri": f"{folder}/{rung.name}/index.m3u8",
            }
        )
    return variants


def _add_av1(asset_id, token, prefix, folder, variants, plan) -> VideoAsset | None:
    """Add the AV1 variants to the master, if the clip is still the one they were made for."""
    target = posixpath.join(prefix, folder)
    with transaction.atomic():
        asset = VideoAsset.objects.select_for_update().filter(pk=asset_id).first()
        if (
            asset is None
            or asset.av1_token != token
            or asset.output_prefix != prefix
            or not asset.is_ready
        ):
            transaction.on_commit(lambda: st.delete_tree(default_storage, target))
            return None
        master = dict(asset.outputs["master"])
        master["variants"] = [
            v for v in master["variants"] if not v["codecs"].startswith("av01")
        ] + variants
        asset.outputs = {**asset.outputs, "master": master}
        asset.renditions = [r for r in asset.renditions if r.get("codec") != "av1"] + [
            _rendition(v, "av1") for v in variants
        ]
        asset.quality = {**asset.quality, "av1": plan}
        asset.av1_status, asset.av1_token, asset.av1_percent = Av1Status.READY, "", 100
        asset.stage = ""
        asset.save()
        _rewrite_master(asset)
    return asset


def video_av1_failed(*, asset_id: int) -> None:
    """Give up on the AV1 ladder (retries spent); the H.264 ladder stays as it is."""
    VideoAsset.objects.filter(pk=asset_id).exclude(av1_status=Av1Status.READY).update(
        av1_status=Av1Status.FAILED, av1_token="", stage=""
    )
