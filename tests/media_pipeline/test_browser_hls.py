"""The published master playlist plays in Chromium through hls.js (fMP4 HLS, audio group,
subtitles) - the player engineer's contract."""

from __future__ import annotations

import functools
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.files.base import ContentFile

from media_pipeline import services
from tests.browser import AUTOPLAY_ARGS
from tests.conftest import ROOT
from tests.media_pipeline.helpers import ingest

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

HLS_JS = ROOT / "node_modules" / "hls.js" / "dist" / "hls.min.js"
PAGE = """<!doctype html><meta charset="utf-8"><video id="v" muted playsinline></video>
<script src="/hls.min.js"></script><script>
window.result = {levels: null, audio: null, subs: null, error: null, played: 0};
const v = document.getElementById("v");
const hls = new Hls();
hls.on(Hls.Events.MANIFEST_PARSED, (e, d) => {
  result.levels = d.levels.map(l => [l.width, l.height]);
  v.play();
});
hls.on(Hls.Events.ERROR, (e, d) => { if (d.fatal) result.error = d.details; });
v.addEventListener("timeupdate", () => {
  result.played = v.currentTime;
  result.audio = hls.audioTracks.length;
  result.subs = hls.subtitleTracks.map(t => t.lang);
});
hls.loadSource(MASTER);
hls.attachMedia(v);
</script>"""


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.mark.skipif(not HLS_JS.exists(), reason="hls.js not installed (run npm ci)")
def test_master_playlist_plays_in_chromium_with_hls_js(clips, media_root, chromium_path):
    from playwright.sync_api import sync_playwright

    asset = ingest(clips["big"])
    services.caption_save(
        asset=asset,
        lang="th",
        label="ไทย",
        upload=ContentFile("WEBVTT\n\n00:00.000 --> 00:01.500\nสวัสดี\n".encode(), name="th.vtt"),
    )
    shutil.copy(HLS_JS, media_root / "hls.min.js")
    master_url = "/" + asset.outputs["hls"]
    (media_root / "index.html").write_text(PAGE.replace("MASTER", repr(master_url)))
    handler = functools.partial(QuietHandler, directory=str(media_root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=chromium_path,
                args=AUTOPLAY_ARGS,
            )
            try:
                page = browser.new_page()
                page.goto(f"http://127.0.0.1:{server.server_port}/index.html")
                page.wait_for_function(
                    "() => result.error !== null || result.played > 0.5", timeout=60_000
                )
                result = page.evaluate("result")
            finally:
                browser.close()
    finally:
        server.shutdown()
    assert result["error"] is None, result
    assert result["levels"] == [[640, 360], [960, 540], [1280, 720]]  # audio-only one dropped
    assert result["audio"] == 1
    assert result["subs"] == ["th"]
    assert result["played"] > 0.5


AV1_PAGE = """<!doctype html><meta charset="utf-8"><video id="v" muted playsinline></video>
<script src="/hls.min.js"></script><script>
window.result = {codecs: null, playing: null, error: null, played: 0};
const v = document.getElementById("v");
// A fast line assumed, so the start choice is about codec support, not bitrate (hls.js
// skips a codec set whose lowest variant exceeds its bandwidth estimate).
const hls = new Hls({abrEwmaDefaultEstimate: 5e6});
hls.on(Hls.Events.MANIFEST_PARSED, (e, d) => {
  result.codecs = d.levels.map(l => l.videoCodec);
  v.play();
});
hls.on(Hls.Events.ERROR, (e, d) => { if (d.fatal) result.error = d.details; });
v.addEventListener("timeupdate", () => {
  result.played = v.currentTime;
  if (hls.currentLevel >= 0) result.playing = hls.levels[hls.currentLevel].videoCodec;
});
hls.loadSource(MASTER);
hls.attachMedia(v);
</script>"""
# What a device without AV1 decoding says: MediaSource refuses every av01 type.
NO_AV1 = """(() => {
  const real = MediaSource.isTypeSupported.bind(MediaSource);
  MediaSource.isTypeSupported = (t) => !/av01/.test(t) && real(t);
})();"""


@pytest.mark.skipif(not HLS_JS.exists(), reason="hls.js not installed (run npm ci)")
def test_av1_ladder_plays_where_supported_and_h264_elsewhere(
    tmp_path, media_root, chromium_path, settings
):
    from playwright.sync_api import sync_playwright

    from media_pipeline.testing import make_test_clip

    # AV1 on for this one tiny clip only; hls.js prefers the AV1 codec set where
    # MediaSource supports it.
    settings.MEDIA_PIPELINE = {**settings.MEDIA_PIPELINE, "AV1": "1", "AV1_PRESET": 12}
    asset = ingest(make_test_clip(tmp_path / "av1.mp4", seconds=3, width=640, height=360))
    assert asset.av1_status == "ready"
    shutil.copy(HLS_JS, media_root / "hls.min.js")
    master_url = "/" + asset.outputs["hls"]
    (media_root / "av1.html").write_text(AV1_PAGE.replace("MASTER", repr(master_url)))
    handler = functools.partial(QuietHandler, directory=str(media_root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    results = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium_path, args=AUTOPLAY_ARGS)
            try:
                for case in ("av1", "no_av1"):
                    page = browser.new_page()
                    if case == "no_av1":
                        page.add_init_script(NO_AV1)
                    page.goto(f"http://127.0.0.1:{server.server_port}/av1.html")
                    page.wait_for_function(
                        "() => result.error !== null || (result.played > 0.5 && result.playing)",
                        timeout=60_000,
                    )
                    results[case] = page.evaluate("result")
                    page.close()
            finally:
                browser.close()
    finally:
        server.shutdown()
    for case, result in results.items():
        assert result["error"] is None, (case, result)
        assert result["played"] > 0.5, (case, result)
    assert any(c.startswith("av01.") for c in results["av1"]["codecs"])
    assert results["av1"]["playing"].startswith("av01."), results["av1"]
    # AV1 reported unsupported: hls.js drops those levels and plays H.264.
    assert all(c.startswith("avc1.") for c in results["no_av1"]["codecs"]), results["no_av1"]
    assert results["no_av1"]["playing"].startswith("avc1.")
