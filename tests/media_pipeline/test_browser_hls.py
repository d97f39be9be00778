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
