"""AV1 against H.264 at equal VMAF (issue 20): a CRF sweep per codec on one rung, BD-rate.

    nice -n 10 .venv/bin/python benchmarks/bdrate.py [--kinds film,screen] [--seconds 16]
        [--height 720] [--presets 6,8,10] [--keep DIR]

Each clip (benchmarks/quality.py's generated or real sources) is encoded at one rung of
the ladder (its size, maxrate and bufsize caps, keyframes every GOP by time) with the
pipeline's own encoder options (quality._x264_options / _svtav1_options, so x264
``-tune stillimage`` on screen content) at several CRFs, and scored with libvmaf
(vmaf_v0.6.1; both inputs scaled to the rung with bicubic, timestamps reset). From the
(log kb/s, VMAF) curves it reports the Bjøntegaard rate ratio: AV1's bits divided by
H.264's, averaged at equal VMAF over the range both curves cover (piecewise-linear in
log rate), plus the ratio at VMAF 80, 85, 90 and 93 and the mean encode seconds.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

H264_CRFS = [18, 22, 26, 30, 34]
AV1_CRFS = [26, 34, 42, 50, 58]


def curve_at(points: list[tuple[float, float]], vmaf: float) -> float | None:
    """log kb/s at ``vmaf`` on the piecewise-linear curve of (log kb/s, VMAF) points."""
    pts = sorted(points, key=lambda p: p[1])
    for (r1, v1), (r2, v2) in zip(pts, pts[1:], strict=False):
        if v1 <= vmaf <= v2 and v2 > v1:
            return r1 + (r2 - r1) * (vmaf - v1) / (v2 - v1)
    return None


def bd_rate(test: list[tuple[float, float]], base: list[tuple[float, float]]) -> float | None:
    """Mean rate ratio test/base at equal VMAF over the overlapping VMAF range."""
    lo = max(min(v for _, v in test), min(v for _, v in base))
    hi = min(max(v for _, v in test), max(v for _, v in base))
    if hi - lo < 1:
        return None
    steps = 200
    diffs = []
    for i in range(steps + 1):
        v = lo + (hi - lo) * i / steps
        a, b = curve_at(test, v), curve_at(base, v)
        if a is not None and b is not None:
            diffs.append(a - b)
    return math.exp(sum(diffs) / len(diffs)) if diffs else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kinds", default="film,screen")
    parser.add_argument("--seconds", type=int, default=16)
    parser.add_argument("--height", type=int, default=720)
    parser.add_argument("--presets", default="6,8,10")
    parser.add_argument("--keep", help="work in this folder and keep the sources")
    parser.add_argument("--out", default=str(ROOT / "artifacts" / "bdrate.json"))
    args = parser.parse_args()
    work = Path(args.keep or tempfile.mkdtemp(prefix="bench-bdrate-")).resolve()
    work.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{work / 'bench.sqlite3'}")
    import django

    django.setup()
    from django.conf import settings
    from quality import FOOTAGE, _ffmpeg, make_clip, vmaf

    from media_pipeline import quality
    from media_pipeline.ffmpeg import ffmpeg_binary
    from media_pipeline.ladder import plan_ladder
    from media_pipeline.probe import probe

    ff = ffmpeg_binary()
    conf = settings.MEDIA_PIPELINE
    height = args.height
    width = height * 16 // 9 // 2 * 2
    report: dict = {"load_at_start": [round(x, 1) for x in os.getloadavg()], "clips": []}
    for kind in [k for k in args.kinds.split(",") if k]:
        src = work / f"{kind}-{args.seconds}s-{height}p.mp4"
        if not src.exists():
            make_clip(ff, kind, src, args.seconds, width, height, work, FOOTAGE)
        info = probe(src)
        rung = plan_ladder(info)[-1]
        sample = work / f"{kind}-sample.mkv"
        quality.run_quick(quality.build_samples(source_path=src, source=info, output=sample))
        content = quality.classify(sample, work)
        gop = quality.gop_seconds(content)
        curves: dict[str, list] = {}
        for name, crfs in [("h264", H264_CRFS)] + [
            (f"av1-p{p}", AV1_CRFS) for p in args.presets.split(",")
        ]:
            points = []
            for crf in crfs:
                if name == "h264":
                    opts = {**quality._x264_options(content), "sc_threshold": "0"}
                else:
                    conf["AV1_PRESET"] = int(name.split("-p")[1])
                    opts = quality._svtav1_options(content)
                out = work / f"{kind}-{name}-{crf}.mp4"
                argv = ["-i", str(src), "-an", "-vf", f"scale={rung.width}:{rung.height}"]
                argv += ["-pix_fmt", "yuv420p", "-crf", str(crf)]
                argv += ["-maxrate", f"{rung.maxrate_k}k", "-bufsize", f"{rung.bufsize_k}k"]
                argv += ["-force_key_frames", f"expr:gte(t,n_forced*{gop:g})"]
                argv += ["-g", str(int(round(info.fps * gop * 2)))]
                for key, value in opts.items():
                    argv += [f"-{key}", str(value)]
                started = time.perf_counter()
                _ffmpeg(ff, [*argv, str(out)])
                seconds = time.perf_counter() - started
                kbps = out.stat().st_size * 8 / 1000 / info.duration
                mean, _low = vmaf(ff, out, src, rung.width, rung.height, out.with_suffix(".json"))
                out.unlink()
                points.append(
                    {
                        "crf": crf,
                        "kbps": round(kbps, 1),
                        "vmaf": round(mean, 2),
                        "encode_s": round(seconds, 1),
                    }
                )
                print(
                    f"  {kind} {name} crf {crf}: {kbps:7.0f} kb/s VMAF {mean:6.2f} "
                    f"({seconds:.1f} s)",
                    flush=True,
                )
            curves[name] = points
        base = [(math.log(p["kbps"]), p["vmaf"]) for p in curves["h264"]]
        rows = []
        for name, points in curves.items():
            if name == "h264":
                continue
            test = [(math.log(p["kbps"]), p["vmaf"]) for p in points]
            at = {}
            for v in (80, 85, 90, 93):
                a, b = curve_at(test, v), curve_at(base, v)
                at[v] = round(math.exp(a - b), 2) if a is not None and b is not None else None
            ratio = bd_rate(test, base)
            # Where the curves do not overlap (screen content: AV1 stays near 100 at every
            # CRF), the cheapest AV1 point against the cheapest H.264 point as good as it.
            low = min(points, key=lambda p: p["kbps"])
            peers = [p["kbps"] for p in curves["h264"] if p["vmaf"] >= low["vmaf"] - 0.1]
            cheapest = {
                "vmaf": low["vmaf"],
                "ratio": round(low["kbps"] / min(peers), 2) if peers else None,
            }
            rows.append(
                {
                    "codec": name,
                    "bd_rate_ratio": round(ratio, 2) if ratio else None,
                    "at_vmaf": at,
                    "cheapest": cheapest,
                    "encode_s": round(sum(p["encode_s"] for p in points) / len(points), 1),
                }
            )
        h264_s = round(sum(p["encode_s"] for p in curves["h264"]) / len(curves["h264"]), 1)
        report["clips"].append(
            {
                "kind": kind,
                "rung": rung.name,
                "content": content.kind,
                "curves": curves,
                "rows": rows,
                "h264_encode_s": h264_s,
            }
        )
        print(f"\n{kind} {rung.name} ({content.kind}), H.264 {h264_s} s per encode")
        print(
            "| AV1 | bits / H.264 at equal VMAF (BD) | at 80 | 85 | 90 | 93 "
            "| cheapest AV1 point (VMAF: ratio) | s per encode |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        for r in rows:
            a = r["at_vmaf"]
            print(
                f"| {r['codec']} | {r['bd_rate_ratio']} | {a[80]} | {a[85]} | {a[90]} | "
                f"{a[93]} | {r['cheapest']['vmaf']}: {r['cheapest']['ratio']} | {r['encode_s']} |",
                flush=True,
            )
    report["load_at_end"] = [round(x, 1) for x in os.getloadavg()]
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=1))
    print(f"written {out}")


if __name__ == "__main__":
    main()
