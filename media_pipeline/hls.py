"""Playlists and WebVTT text: parse ffmpeg's master playlist, write ours, captions, sprites."""

from __future__ import annotations

import html
import io
import math
import re

import webvtt

ATTR_RE = re.compile(r'([A-Z0-9-]+)=("[^"]*"|[^,]*)')


def quoted(value: str) -> str:
    """An HLS quoted-string attribute value: no quote, CR or LF can survive (RFC 8216 4.2)."""
    clean = "".join(ch for ch in str(value) if ch.isprintable() and ch not in '"\\')
    return '"' + clean + '"'


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


def av1_codecs_string(init_segment: bytes) -> str:
    """The RFC 6381 ``av01.P.LLT.DD`` string from the ``av1C`` box of an fMP4 init segment.

    av1C: marker/version byte (0x81), then seq_profile (3 bits) + seq_level_idx_0 (5),
    then seq_tier_0, high_bitdepth, twelve_bit, ... (one bit each).
    """
    at = init_segment.find(b"av1C")
    if at < 0 or len(init_segment) < at + 7 or init_segment[at + 4] != 0x81:
        raise ValueError("no av1C box")
    b1, b2 = init_segment[at + 5], init_segment[at + 6]
    profile, level = b1 >> 5, b1 & 0x1F
    tier = "H" if b2 & 0x80 else "M"
    depth = 12 if (b2 & 0x40 and b2 & 0x20) else 10 if b2 & 0x40 else 8
    return f"av01.{profile}.{level:02d}{tier}.{depth:02d}"


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
            f'DEFAULT=YES,AUTOSELECT=YES,CHANNELS="2",URI={quoted(audio["uri"])}'
        )
    for n, sub in enumerate(subtitles):
        default = "YES" if n == 0 else "NO"
        out.append(
            f'#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME={quoted(sub["label"])},'
            f"LANGUAGE={quoted(sub['lang'])},DEFAULT={default},AUTOSELECT=YES,"
            f"URI={quoted(sub['uri'])}"
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


MAX_CUES = 20_000


def _cue_text(text: str) -> str:
    """A cue's payload as plain text: no tags, no "-->", no blank lines (which end a cue)."""
    text = html.unescape(re.sub(r"<[^>]*>", "", text))
    lines = [" ".join(line.replace("-->", "->").split()) for line in text.split("\n")]
    text = "\n".join(line for line in lines if line)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _seconds(stamp: str) -> float:
    """Seconds from webvtt-py's ``HH:MM:SS.mmm`` (its ``*_in_seconds`` drop the milliseconds)."""
    h, m, s = stamp.split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)


def to_webvtt(raw: bytes) -> str:
    """Clean text-only WebVTT from a WebVTT or SRT upload; raises ValueError for anything else.

    The upload is parsed by webvtt-py and written out again from its cues' times and
    plain text only: styles, regions, notes, cue settings and markup never pass through.
    """
    text = raw.decode("utf-8-sig", errors="strict").replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        raise ValueError("binary data")
    fmt = "vtt" if text.lstrip().startswith("WEBVTT") else "srt"
    try:
        parsed = webvtt.from_buffer(io.StringIO(text.lstrip()), format=fmt)
    except Exception as exc:  # noqa: BLE001 - webvtt-py raises several kinds for bad input
        raise ValueError(f"not a WebVTT or SRT file: {exc}") from exc
    cues = []
    for caption in parsed.captions[: MAX_CUES + 1]:
        body = _cue_text(caption.raw_text)
        if not body:
            continue
        start, end = _seconds(caption.start), _seconds(caption.end)
        if end <= start:
            continue
        cues.append(f"{_stamp(start)} --> {_stamp(end)}\n{body}")
    if not cues:
        raise ValueError("no cues")
    if len(cues) > MAX_CUES:
        raise ValueError("too many cues")
    return "WEBVTT\n\n" + "\n\n".join(cues) + "\n"
