"""Playlists and WebVTT text: parse ffmpeg's master playlist, write ours, captions, sprites."""

from __future__ import annotations

import math
import re

ATTR_RE = re.compile(r'([A-Z0-9-]+)=("[^"]*"|[^,]*)')


def parse_attrs(text: str) -> dict[str, str]:
    return {k: v.strip('"') for k, v in ATTR_RE.findall(text)}


def parse_master(text: str) -> dict:
    """{"variants": [{attrs..., "uri"}], "media": [{attrs...}]} from a master playlist."""
    if not text.startswith("#EXTM3U"):
        raise ValueError("not an HLS playlist")
    variants, media = [], []
    lines = [line.strip() for line in text.splitlines()]
    for i, line in enumerate(lines):
        if line.startswith("#EXT-X-STREAM-INF:"):
            attrs = parse_attrs(line.split(":", 1)[1])
            uri = next((x for x in lines[i + 1 :] if x and not x.startswith("#")), None)
            attrs["URI"] = uri
            variants.append(attrs)
        elif line.startswith("#EXT-X-MEDIA:"):
            media.append(parse_attrs(line.split(":", 1)[1]))
    return {"variants": variants, "media": media}


def render_master(
    *,
    variants: list[dict],
    audio: dict | None,
    audio_only: dict | None,
    subtitles: list[dict],
) -> str:
    """Our master playlist: video variants, the audio group, subtitles, audio-only variant.

    ``variants``: {"bandwidth", "average_bandwidth", "width", "height", "codecs", "uri"};
    ``subtitles``: {"lang", "label", "uri"}. hls.js ignores the audio-only variant
    while video variants exist; Safari may use it as its lowest fallback.
    """
    out = ["#EXTM3U", "#EXT-X-VERSION:7", "#EXT-X-INDEPENDENT-SEGMENTS"]
    if audio:
        out.append(
            '#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",NAME="main",LANGUAGE="th",'
            f'DEFAULT=YES,AUTOSELECT=YES,CHANNELS="2",URI="{audio["uri"]}"'
        )
    for n, sub in enumerate(subtitles):
        default = "YES" if n == 0 else "NO"
        out.append(
            f'#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME="{sub["label"]}",'
            f'LANGUAGE="{sub["lang"]}",DEFAULT={default},AUTOSELECT=YES,URI="{sub["uri"]}"'
        )
    for v in variants:
        attrs = [
            f"BANDWIDTH={v['bandwidth']}",
            f"AVERAGE-BANDWIDTH={v.get('average_bandwidth') or v['bandwidth']}",
            f"RESOLUTION={v['width']}x{v['height']}",
            f'CODECS="{v["codecs"]}"',
        ]
        if audio:
            attrs.append('AUDIO="aud"')
        if subtitles:
            attrs.append('SUBTITLES="subs"')
        out += ["#EXT-X-STREAM-INF:" + ",".join(attrs), v["uri"]]
    if audio_only:
        out += [
            f'#EXT-X-STREAM-INF:BANDWIDTH={audio_only["bandwidth"]},CODECS="mp4a.40.2"',
            audio_only["uri"],
        ]
    return "\n".join(out) + "\n"


def subtitle_playlist(*, vtt_uri: str, duration: float) -> str:
    """A one-segment VOD playlist wrapping a WebVTT file, for HLS subtitle renditions."""
    target = max(1, math.ceil(duration))
    return (
        "#EXTM3U\n#EXT-X-VERSION:3\n"
        f"#EXT-X-TARGETDURATION:{target}\n#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-PLAYLIST-TYPE:VOD\n"
        f"#EXTINF:{duration:.3f},\n{vtt_uri}\n#EXT-X-ENDLIST\n"
    )


def _stamp(seconds: float) -> str:
    ms = int(round(seconds * 1000))
    h, rem = divmod(ms, 3_600_000)
    m, rem = divmod(rem, 60_000)
    s, ms = divmod(rem, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"


def sprite_vtt(
    *,
    image_uri: str,
    duration: float,
    interval: float,
    count: int,
    columns: int,
    width: int,
    height: int,
) -> str:
    """WebVTT cues mapping time ranges to ``image#xywh=`` tiles of the sprite."""
    out = ["WEBVTT", ""]
    for n in range(count):
        start = n * interval
        if start >= duration:
            break
        end = min(duration, start + interval)
        x, y = (n % columns) * width, (n // columns) * height
        out += [
            f"{_stamp(start)} --> {_stamp(end)}",
            f"{image_uri}#xywh={x},{y},{width},{height}",
            "",
        ]
    return "\n".join(out)


SRT_TIME = re.compile(r"(\d{1,2}):(\d{2}):(\d{2})[,.](\d{1,3})")


def to_webvtt(raw: bytes) -> str:
    """WebVTT text from a WebVTT or SRT upload; raises ValueError for anything else."""
    text = raw.decode("utf-8-sig", errors="strict").replace("\r\n", "\n").replace("\r", "\n")
    if text.lstrip().startswith("WEBVTT"):
        return text.lstrip()
    blocks = [b for b in re.split(r"\n\s*\n", text.strip()) if b.strip()]
    cues = []
    for block in blocks:
        lines = block.split("\n")
        if lines and lines[0].strip().isdigit():
            lines = lines[1:]
        if not lines or "-->" not in lines[0]:
            raise ValueError("not a WebVTT or SRT file")
        start, _, end = lines[0].partition("-->")
        start_m, end_m = SRT_TIME.search(start), SRT_TIME.search(end)
        if not (start_m and end_m):
            raise ValueError("bad SRT timestamp")

        def fmt(m: re.Match) -> str:
            h, mi, s, ms = m.groups()
            return f"{int(h):02d}:{mi}:{s}.{ms.ljust(3, '0')}"

        cues.append(f"{fmt(start_m)} --> {fmt(end_m)}\n" + "\n".join(lines[1:]))
    if not cues:
        raise ValueError("no cues")
    return "WEBVTT\n\n" + "\n\n".join(cues) + "\n"
