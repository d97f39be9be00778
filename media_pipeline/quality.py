"""Per-title quality: choose each rung's CRF on short samples so it reaches a VMAF target.

The search (issue 20):

1. cut a few short windows out of the source into one lossless sample clip (the same
   deinterlace / tone-map / 8-bit prefilters as the real encode);
2. classify the content from cheap statistics of that sample (``siti`` temporal
   information and ``entropy`` of the luma histogram): slides and screen recordings
   hold still most of the time and use few grey levels; camera footage does neither;
3. encode the sample for every rung at two CRFs (one ffmpeg run per CRF, all rungs in
   it), measure VMAF with libvmaf at the rung's own size (the reference scaled there
   with bicubic, timestamps reset), interpolate to the target, and where the estimate
   falls outside the tried range encode a third time near it and interpolate again.

The chosen CRF per rung is returned with the measured points, so the asset records
what the choice was based on. Pure planning lives here; ffmpeg runs go through
``runner.run_quick`` with argv lists only, on our own local files.
"""

from __future__ import annotations

import functools
import json
import statistics
import subprocess  # noqa: S404 - argv lists only, never a shell
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import ffmpeg
from django.conf import settings

from .commands import _video_prefilters, _with_globals
from .errors import PipelineError
from .ffmpeg import ffmpeg_binary
from .ladder import Rung
from .probe import SourceInfo
from .runner import run_quick

SCREEN = "screen"
CAMERA = "camera"
# Classifier thresholds (luma, 8-bit): a frame "holds still" when its temporal
# information is below STILL_TI; screen content holds still most of the time, or has a
# luma histogram of few levels (flat backgrounds, text) while moving little.
STILL_TI = 1.0
SCREEN_STILL_FRACTION = 0.6
SCREEN_ENTROPY_BITS = 4.5
SCREEN_MAX_TI = 6.0
# Scrolling screen recordings move a lot (high TI) but stay synthetic: few grey levels
# and mostly flat, noise-free areas (neighbouring pixels equal within FLAT_DELTA at the
# classifier's 480-wide scale). Camera footage and animation are busy almost everywhere
# (grain, texture) or use many grey levels (benchmarks/quality.py: scrolling screen 0.84
# flat / 3.4 bits; camera-like 0.70 / 7.1; an animated film 0.27 / 7.7).
FLAT_DELTA = 1
SCREEN_FLAT_FRACTION = 0.75


def _conf(key: str):
    return settings.MEDIA_PIPELINE[key]


# --- capabilities ------------------------------------------------------------------------


@functools.cache
def _listing(kind: str) -> str:
    try:
        out = subprocess.run(  # noqa: S603
            [ffmpeg_binary(), "-hide_banner", f"-{kind}"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return out.stdout


def has_vmaf() -> bool:
    return any(line.split()[1:2] == ["libvmaf"] for line in _listing("filters").splitlines())


def has_svtav1() -> bool:
    return any(line.split()[1:2] == ["libsvtav1"] for line in _listing("encoders").splitlines())


def av1_enabled() -> bool:
    """The AV1 setting: "1" on, "0" off, "auto" on when the ffmpeg build has SVT-AV1."""
    value = str(_conf("AV1")).lower()
    if value in ("0", "off", "false", "no", ""):
        return False
    return has_svtav1()


# --- targets -----------------------------------------------------------------------------


def vmaf_targets(rungs: list[Rung]) -> list[float]:
    """Top rung at VMAF_TARGET_TOP, lowest at VMAF_TARGET_BOTTOM, linear in between."""
    top, bottom = _conf("VMAF_TARGET_TOP"), _conf("VMAF_TARGET_BOTTOM")
    if len(rungs) == 1:
        return [top]
    step = (top - bottom) / (len(rungs) - 1)
    return [round(bottom + step * i, 2) for i in range(len(rungs))]


# --- samples -----------------------------------------------------------------------------


def sample_windows(duration: float) -> list[tuple[float, float]]:
    """(start, length) windows spread over the clip; the whole clip when it is short."""
    count, length = _conf("SAMPLE_COUNT"), _conf("SAMPLE_SECONDS")
    if duration <= count * length * 1.5:
        return [(0.0, min(duration, count * length))]
    return [(max(0.0, (i + 0.5) * duration / count - length / 2), length) for i in range(count)]


def build_samples(*, source_path: Path, source: SourceInfo, output: Path) -> list[str]:
    """One lossless clip of the windows, concatenated, with the real encode's prefilters."""
    parts = []
    for start, length in sample_windows(source.duration):
        inp = ffmpeg.input(
            f"file:{source_path}",
            ss=f"{start:.3f}",
            t=f"{length:.3f}",
            **_whitelist(),
        )
        parts.append(
            _video_prefilters(inp[str(source.video_index)], source)
            # 4:2:0 needs even sizes; one odd pixel row does not matter to the search.
            .filter("crop", "trunc(iw/2)*2", "trunc(ih/2)*2")
            .filter("setpts", "PTS-STARTPTS")
        )
    video = parts[0] if len(parts) == 1 else ffmpeg.concat(*parts, v=1, a=0)
    out = ffmpeg.output(
        video,
        str(output),
        f="matroska",
        an=None,
        **{"c:v": "libx264", "qp": 0, "preset": "ultrafast", "fps_mode": "passthrough"},
    )
    return _with_globals(out.compile(cmd=ffmpeg_binary()), progress=False)


def _whitelist() -> dict[str, str]:
    # Our check on the source already happened in probe(); same whitelists as the encode.
    from .commands import input_kwargs

    return input_kwargs()


def _own_input(path: Path):
    """A file we wrote ourselves (the sample, its encodes): still file: and matroska/mp4 only."""
    if not Path(path).is_absolute():
        raise ValueError("ffmpeg is only given absolute local paths")
    return ffmpeg.input(
        f"file:{path}", protocol_whitelist="file", format_whitelist="matroska,webm,mov,mp4"
    )


# --- content ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ContentStats:
    kind: str  # SCREEN or CAMERA
    still_fraction: float
    ti_median: float
    entropy_median: float
    flat_fraction: float | None = None  # None: recorded before the flat-area measure

    def as_dict(self) -> dict:
        data = {
            "kind": self.kind,
            "still_fraction": round(self.still_fraction, 3),
            "ti_median": round(self.ti_median, 2),
            "entropy_median": round(self.entropy_median, 2),
        }
        if self.flat_fraction is not None:
            data["flat_fraction"] = round(self.flat_fraction, 3)
        return data


def classify(sample: Path, work: Path) -> ContentStats:
    """Screen or camera, from per-frame ``siti`` TI, luma ``entropy`` and flat-area share.

    Screen content: most frames still (slides), or few grey levels with little motion,
    or few grey levels over mostly flat, noise-free areas however much it moves (a
    scrolling screen recording, whose TI is as high as camera footage's).
    """
    meta, flat_meta = work / "content.txt", work / "flat.txt"
    luma = _own_input(sample).video.filter("scale", 480, -2).filter("format", "gray")
    branches = luma.filter_multi_output("split", 2)
    stats = branches.stream(0).filter("siti").filter("entropy")
    stats = stats.filter("metadata", "print", file=str(meta))
    # Flat share: |pixel - its left neighbour| > FLAT_DELTA marks a busy pixel; the
    # mean of that mask (signalstats YAVG / 255) is the busy share of the frame.
    pair = branches.stream(1).filter_multi_output("split", 2)
    left = pair.stream(0).filter("crop", "iw-1", "ih", 0, 0)
    right = pair.stream(1).filter("crop", "iw-1", "ih", 1, 0)
    shifted = (
        ffmpeg.filter([left, right], "blend", all_mode="difference")
        .filter("lutyuv", y=f"if(gt(val,{FLAT_DELTA}),255,0)")
        .filter("signalstats")
        .filter("metadata", "print", file=str(flat_meta))
    )
    out = ffmpeg.merge_outputs(
        ffmpeg.output(stats, "-", f="null"), ffmpeg.output(shifted, "-", f="null")
    )
    run_quick(_with_globals(out.compile(cmd=ffmpeg_binary()), progress=False))
    ti, entropy, busy = [], [], []
    for line in meta.read_text().splitlines() + flat_meta.read_text().splitlines():
        key, _, value = line.partition("=")
        if key == "lavfi.siti.ti":
            ti.append(float(value))
        elif key == "lavfi.entropy.entropy.normal.Y":
            entropy.append(float(value))
        elif key == "lavfi.signalstats.YAVG":
            busy.append(float(value) / 255)
    if not ti or not entropy or not busy:
        raise PipelineError("transcode_failed", detail="no content statistics")
    ti = ti[1:] or ti  # the first frame has nothing to differ from
    return decide(ti, entropy, [1 - b for b in busy])


def decide(ti: list[float], entropy: list[float], flat: list[float]) -> ContentStats:
    """The class from per-frame TI, luma entropy (bits) and flat share (pure)."""
    still = sum(1 for v in ti if v < STILL_TI) / len(ti)
    ti_median, ent_median = statistics.median(ti), statistics.median(entropy)
    flat_median = statistics.median(flat)
    synthetic = ent_median <= SCREEN_ENTROPY_BITS
    screen = still >= SCREEN_STILL_FRACTION or (
        synthetic and (ti_median <= SCREEN_MAX_TI or flat_median >= SCREEN_FLAT_FRACTION)
    )
    return ContentStats(SCREEN if screen else CAMERA, still, ti_median, ent_median, flat_median)


# --- encoders --------------------------------------------------------------------------


@dataclass(frozen=True)
class Encoder:
    """How a codec's rungs are encoded: shared by the CRF search and the real encode."""

    codec: str  # "h264" or "av1"
    probes: tuple[int, int]
    crf_range: tuple[int, int]
    crf_step: float  # x264 takes fractional CRFs; SVT-AV1 whole ones
    options: Callable[[ContentStats | None], dict] = field(compare=False)

    def clamp(self, crf: float) -> float:
        lo, hi = self.crf_range
        value = round(min(hi, max(lo, crf)) / self.crf_step) * self.crf_step
        return round(value, 1) if self.crf_step < 1 else int(value)


def gop_seconds(content: ContentStats | None) -> float:
    """Keyframes every GOP_SECONDS; screen content every segment (its frames hold still)."""
    if content is not None and content.kind == SCREEN:
        return _conf("SCREEN_GOP_SECONDS")
    return _conf("GOP_SECONDS")


def _x264_options(content: ContentStats | None) -> dict:
    opts = {"c:v": "libx264", "preset": _conf("X264_PRESET"), "profile:v": "high"}
    if content is not None and content.kind == SCREEN and _conf("SCREEN_X264_TUNE"):
        opts["tune"] = _conf("SCREEN_X264_TUNE")
    return opts


def _svtav1_options(content: ContentStats | None) -> dict:
    return {"c:v": "libsvtav1", "preset": _conf("AV1_PRESET")}


def h264() -> Encoder:
    return Encoder("h264", _conf("CRF_PROBES"), _conf("CRF_RANGE"), 0.5, _x264_options)


def av1() -> Encoder:
    return Encoder("av1", _conf("AV1_CRF_PROBES"), _conf("AV1_CRF_RANGE"), 1, _svtav1_options)


def keyframe_options(source: SourceInfo, content: ContentStats | None) -> dict:
    """Keyframes by time only, so every rung of every codec cuts segments together."""
    gop = gop_seconds(content)
    return {
        "force_key_frames": f"expr:gte(t,n_forced*{gop:g})",
        "g": max(2, int(round(source.fps * gop * 2))),
    }


# --- the search --------------------------------------------------------------------------


def _encode_round(
    sample: Path,
    rungs: list[Rung],
    crfs: list[float],
    encoder: Encoder,
    content: ContentStats,
    source: SourceInfo,
    work: Path,
    tag: str,
) -> list[Path]:
    """Every rung of the sample at its CRF in one ffmpeg run; returns the encoded files."""
    inp = _own_input(sample)
    branches = inp.video.filter_multi_output("split", len(rungs))
    outs, paths = [], []
    common = {
        **encoder.options(content),
        **keyframe_options(source, content),
        "pix_fmt": "yuv420p",
        "fps_mode": "passthrough",
        "sc_threshold": 0,
    }
    if encoder.codec == "av1":
        common.pop("sc_threshold")
    for i, (rung, crf) in enumerate(zip(rungs, crfs, strict=True)):
        path = work / f"{encoder.codec}-{rung.name}-{tag}.mp4"
        scaled = branches.stream(i).filter("scale", rung.width, rung.height)
        opts = {
            **common,
            "crf": crf,
            "maxrate": f"{rung.maxrate_k}k",
            "bufsize": f"{rung.bufsize_k}k",
        }
        outs.append(ffmpeg.output(scaled, str(path), f="mp4", an=None, **opts))
        paths.append(path)
    argv = _with_globals(ffmpeg.merge_outputs(*outs).compile(cmd=ffmpeg_binary()), progress=False)
    run_quick(argv)
    return paths


def _vmaf_round(sample: Path, rungs: list[Rung], encoded: list[Path], work: Path) -> list[float]:
    """Mean VMAF of each encoded rung against the sample scaled to that rung (bicubic)."""
    ref = _own_input(sample).video.filter_multi_output("split", len(rungs))
    outs, logs = [], []
    for i, (rung, path) in enumerate(zip(rungs, encoded, strict=True)):
        log = path.with_suffix(".vmaf.json")
        reference = (
            ref.stream(i)
            .filter("scale", rung.width, rung.height, flags="bicubic")
            .filter("format", "yuv420p")
            .filter("setpts", "PTS-STARTPTS")
        )
        distorted = (
            _own_input(path)
            .video.filter("scale", rung.width, rung.height, flags="bicubic")
            .filter("format", "yuv420p")
            .filter("setpts", "PTS-STARTPTS")
        )
        scored = ffmpeg.filter(
            [distorted, reference],
            "libvmaf",
            model=_conf("VMAF_MODEL"),
            n_subsample=_conf("VMAF_SUBSAMPLE"),
            n_threads=2,
            log_fmt="json",
            log_path=str(log),
        )
        outs.append(ffmpeg.output(scored, "-", f="null"))
        logs.append(log)
    argv = _with_globals(ffmpeg.merge_outputs(*outs).compile(cmd=ffmpeg_binary()), progress=False)
    run_quick(argv)
    return [read_vmaf(log)["mean"] for log in logs]


def read_vmaf(log: Path) -> dict:
    """{"mean", "low1"} from a libvmaf JSON log (low1: mean of the worst 1 % of frames)."""
    data = json.loads(log.read_text())
    frames = sorted(f["metrics"]["vmaf"] for f in data.get("frames", []))
    if not frames:
        raise PipelineError("transcode_failed", detail="libvmaf scored no frames")
    worst = frames[: max(1, len(frames) // 100)]
    return {"mean": data["pooled_metrics"]["vmaf"]["mean"], "low1": sum(worst) / len(worst)}


def _interpolate(points: list[tuple[float, float]], target: float) -> float:
    """The CRF where VMAF crosses ``target``, from (crf, vmaf) points.

    Linear between the two points that bracket the target; beyond them, extrapolated
    only along a falling slope. Where quality stops responding to the CRF (the rung's
    maxrate cap binds, or the frames hold still) it goes to the side that works: the
    CRF that scored best when the target is out of reach (more bits would not help),
    the top of the range when every point is above it.
    """
    pts = sorted(points)
    above = [p for p in pts if p[1] >= target]
    below = [p for p in pts if p[1] < target]
    if above and below:
        (c1, v1), (c2, v2) = max(above), min(below)  # highest CRF still good, lowest bad
        if c1 < c2:
            return c1 + (target - v1) * (c2 - c1) / (v2 - v1)
        # Not monotonic (noise): the highest good CRF below the lowest bad one.
        good = [c for c, _ in above if c < c2]
        return max(good) if good else c2 - 1
    (c1, v1), (c2, v2) = (pts[-2], pts[-1]) if above else (pts[0], pts[1])
    slope = (v2 - v1) / (c2 - c1) if c2 != c1 else 0.0
    if slope > -0.1:  # flat: the CRF does not move the quality here
        if above:
            return c2 + 10
        # Out of reach (the cap binds): the best point measured, the higher CRF on a tie
        # (a lower CRF under a binding cap only starves the rate control).
        return max(pts, key=lambda p: (round(p[1], 1), p[0]))[0]
    return c1 + (target - v1) / slope


@dataclass
class RungChoice:
    rung: str
    width: int
    height: int
    target: float
    crf: float
    vmaf_estimate: float
    points: list[dict]  # [{"crf", "vmaf", "kbps"}] measured on the sample

    def as_dict(self) -> dict:
        return {
            "rung": self.rung,
            "width": self.width,
            "height": self.height,
            "target": self.target,
            "crf": self.crf,
            "vmaf": round(self.vmaf_estimate, 2),
            "points": self.points,
        }


def _kbps(path: Path, seconds: float) -> float:
    return round(path.stat().st_size * 8 / 1000 / max(seconds, 0.001), 1)


def search(
    *,
    sample: Path,
    sample_seconds: float,
    rungs: list[Rung],
    encoder: Encoder,
    content: ContentStats,
    source: SourceInfo,
    work: Path,
    on_step: Callable[[int, int], None] | None = None,
) -> list[RungChoice]:
    """Per rung, the highest CRF whose sample VMAF reaches its target (+ margin)."""
    targets = [t + _conf("VMAF_MARGIN") for t in vmaf_targets(rungs)]
    points: list[list[tuple[float, float, float]]] = [[] for _ in rungs]
    total = 3

    def measure(crfs: list[float], tag: str, which: list[int] | None = None) -> None:
        which = list(range(len(rungs))) if which is None else which
        chosen = [rungs[i] for i in which]
        encoded = _encode_round(sample, chosen, crfs, encoder, content, source, work, tag)
        scores = _vmaf_round(sample, chosen, encoded, work)
        for i, crf, score, path in zip(which, crfs, scores, encoded, strict=True):
            points[i].append((crf, score, _kbps(path, sample_seconds)))
            path.unlink(missing_ok=True)

    for n, probe_crf in enumerate(encoder.probes):
        measure([probe_crf] * len(rungs), f"p{n}")
        if on_step:
            on_step(n + 1, total)
    estimates = [
        encoder.clamp(_interpolate([(c, v) for c, v, _ in pts], t))
        for pts, t in zip(points, targets, strict=True)
    ]
    lo, hi = min(encoder.probes), max(encoder.probes)
    tried = [{c for c, _, _ in pts} for pts in points]
    # A third try for the rungs whose estimate lies beyond the tried CRFs, only those: a
    # rung bracketed by the probes is interpolated well enough (benchmarks/quality.py),
    # and each rung left out of the run saves its encode and its VMAF scoring.
    outside = [i for i, e in enumerate(estimates) if not (lo <= e <= hi)]
    if outside:
        third = [
            estimates[i]
            if estimates[i] not in tried[i]
            else encoder.clamp(estimates[i] + encoder.crf_step)
            for i in outside
        ]
        measure(third, "p2", outside)
        estimates = [
            encoder.clamp(_interpolate([(c, v) for c, v, _ in pts], t))
            for pts, t in zip(points, targets, strict=True)
        ]
    if on_step:
        on_step(total, total)
    choices = []
    for rung, target, pts, crf in zip(rungs, targets, points, estimates, strict=True):
        choices.append(
            RungChoice(
                rung=rung.name,
                width=rung.width,
                height=rung.height,
                target=round(target - _conf("VMAF_MARGIN"), 2),
                crf=crf,
                vmaf_estimate=_estimate_at(pts, crf),
                points=[{"crf": c, "vmaf": round(v, 2), "kbps": k} for c, v, k in sorted(pts)],
            )
        )
    return choices


def _estimate_at(points: list[tuple[float, float, float]], crf: float) -> float:
    """VMAF at ``crf`` interpolated between the measured points (clamped to 0-100)."""
    pts = sorted((c, v) for c, v, _ in points)
    for (c1, v1), (c2, v2) in zip(pts, pts[1:], strict=False):
        if c1 <= crf <= c2:
            return v1 + (v2 - v1) * (crf - c1) / max(c2 - c1, 1e-9)
    (c1, v1), (c2, v2) = (pts[0], pts[1]) if crf < pts[0][0] else (pts[-2], pts[-1])
    slope = (v2 - v1) / max(c2 - c1, 1e-9)
    return max(0.0, min(100.0, v1 + slope * (crf - c1)))


def default_choices(rungs: list[Rung], crf: float) -> list[RungChoice]:
    """No search (switched off, or no libvmaf): every rung at the fixed CRF."""
    return [
        RungChoice(r.name, r.width, r.height, t, crf, 0.0, [])
        for r, t in zip(rungs, vmaf_targets(rungs), strict=True)
    ]


def plan_quality(
    *,
    source_path: Path,
    source: SourceInfo,
    rungs: list[Rung],
    encoder: Encoder,
    work: Path,
    fixed_crf: float,
    on_step: Callable[[int, int], None] | None = None,
    content: ContentStats | None = None,
) -> dict:
    """Samples, content class and CRF choices for one codec; a dict stored on the asset.

    ``content``: the class found before (the AV1 ladder reuses the H.264 one, so both
    cut keyframes at the same instants).
    """
    if not _conf("QUALITY_SEARCH"):
        # Switched off: the pipeline as before issue 20 (fixed CRF, no content class).
        choices = default_choices(rungs, fixed_crf)
        return {
            "codec": encoder.codec,
            "content": None,
            "method": "fixed",
            "rungs": [c.as_dict() for c in choices],
            "_content": content,
        }
    work.mkdir(parents=True, exist_ok=True)
    sample = work / "sample.mkv"
    run_quick(build_samples(source_path=source_path, source=source, output=sample))
    sample_seconds = sum(length for _, length in sample_windows(source.duration))
    content = content or classify(sample, work)
    result = {"codec": encoder.codec, "content": content.as_dict()}
    if not has_vmaf():
        # The ffmpeg build lacks libvmaf: say so on the asset, encode at the fixed CRF.
        choices, result["method"] = default_choices(rungs, fixed_crf), "fixed (no libvmaf)"
    else:
        choices = search(
            sample=sample,
            sample_seconds=sample_seconds,
            rungs=rungs,
            encoder=encoder,
            content=content,
            source=source,
            work=work,
            on_step=on_step,
        )
        result["method"] = "vmaf"
        result["vmaf_model"] = _conf("VMAF_MODEL")
    result["rungs"] = [c.as_dict() for c in choices]
    result["sample_seconds"] = round(sample_seconds, 2)
    result["_content"] = content
    return result
