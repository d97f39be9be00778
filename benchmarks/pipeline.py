"""Benchmark the media pipeline on generated 1080p clips: time, bits and VMAF per rung.

    nice -n 10 .venv/bin/python benchmarks/pipeline.py [--seconds 60] [--screen-seconds 60]
        [--no-av1] [--keep DIR]

Each run is the real ``manage.py import_clips --wait --json`` in a fresh process:
  * today:   the pipeline before issue 20 (MEDIA_QUALITY_SEARCH=0: fixed CRF, no content
             class, no AV1);
  * new:     the CRF search by VMAF on samples + screen-content tuning, H.264 only: the
             time until the clip is playable (target: <= 1.5 x today);
  * new+av1: the same plus the AV1 ladder (SVT-AV1) encoded after it (target <= 4 x today).
For a camera-like clip (zooming fractal with noise) and a screen-like one (text slides),
it prints per rung: bits per second of the published segments and VMAF (libvmaf
vmaf_v0.6.1, rung against the source scaled to the rung with bicubic, timestamps reset).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MODES = {
    "today": {"MEDIA_QUALITY_SEARCH": "0", "MEDIA_AV1": "0"},
    "new": {"MEDIA_QUALITY_SEARCH": "1", "MEDIA_AV1": "0"},
    "new+av1": {"MEDIA_QUALITY_SEARCH": "1", "MEDIA_AV1": "1"},
}


def rung_file(folder: Path, out: Path) -> Path:
    with open(out, "wb") as fh:
        for part in sorted(folder.glob("init*.mp4")) + sorted(folder.glob("seg_*.m4s")):
            fh.write(part.read_bytes())
    return out


def rung_stats(ff: str, folder: Path, source: Path, width: int, height: int, work: Path):
    """(kb/s of the segments, VMAF mean, VMAF 1 % low) of one published rung."""
    size = sum(p.stat().st_size for p in folder.glob("seg_*.m4s"))
    joined = rung_file(folder, work / f"{folder.parent.name}-{folder.name}.mp4")
    log = work / f"{folder.parent.name}-{folder.name}.json"
    graph = (
        f"[0:v]scale={width}:{height}:flags=bicubic,format=yuv420p,setpts=PTS-STARTPTS[d];"
        f"[1:v]scale={width}:{height}:flags=bicubic,format=yuv420p,setpts=PTS-STARTPTS[r];"
        f"[d][r]libvmaf=model=version=vmaf_v0.6.1:n_threads=2:n_subsample=5:"
        f"log_fmt=json:log_path={log}"
    )
    subprocess.run(
        [ff, "-nostdin", "-v", "error", "-i", str(joined), "-i", str(source)]
        + ["-lavfi", graph, "-f", "null", "-"],
        check=True,
    )
    data = json.loads(log.read_text())
    frames = sorted(f["metrics"]["vmaf"] for f in data["frames"])
    low = frames[: max(1, len(frames) // 100)]
    joined.unlink()
    return size, data["pooled_metrics"]["vmaf"]["mean"], sum(low) / len(low)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=60, help="camera-like clip length")
    parser.add_argument("--screen-seconds", type=int, default=60)
    parser.add_argument("--no-av1", action="store_true", help="skip the new+av1 run")
    parser.add_argument("--keep", help="work in this folder and keep it")
    args = parser.parse_args()

    work = Path(args.keep or tempfile.mkdtemp(prefix="bench-pipeline-"))
    work.mkdir(parents=True, exist_ok=True)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "lms.settings.dev",
            "DATABASE_URL": f"sqlite:///{work / 'bench.sqlite3'}",
            "MEDIA_ROOT": str(work / "media"),
        }
    )
    import django

    django.setup()
    from django.conf import settings

    from media_pipeline.ffmpeg import ffmpeg_binary
    from media_pipeline.probe import probe
    from media_pipeline.testing import make_test_clip

    ff = ffmpeg_binary()
    conf = settings.MEDIA_PIPELINE
    clips = {}
    for kind, content, seconds in (
        ("camera", "camera", args.seconds),
        ("screen", "slides", args.screen_seconds),
    ):
        path = work / f"{kind}-{seconds}s-1080p.mp4"
        if not path.exists():
            print(f"generating {path.name} ...", flush=True)
            make_test_clip(path, seconds=seconds, width=1920, height=1080, fps=30, content=content)
        clips[kind] = path
    load = os.getloadavg()
    print(
        f"preset {conf['X264_PRESET']}, AV1 preset {conf['AV1_PRESET']}, {os.cpu_count()} cpus, "
        f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} (machine shared)",
        flush=True,
    )
    env_base = {**os.environ, "PYTHONPATH": str(ROOT)}
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], check=True, env=env_base)

    modes = [m for m in MODES if not (args.no_av1 and m == "new+av1")]
    times: dict[tuple[str, str], float] = {}
    rows = []
    for kind, path in clips.items():
        info = probe(path)
        for mode in modes:
            if kind == "screen" and mode == "new+av1" and args.no_av1:
                continue
            env = {**env_base, **MODES[mode]}
            start = time.perf_counter()
            out = subprocess.run(
                [*manage, "import_clips", "--wait", "--json", str(path)],
                check=True,
                env=env,
                capture_output=True,
                text=True,
            )
            times[(kind, mode)] = elapsed = time.perf_counter() - start
            result = json.loads(out.stdout.strip().splitlines()[-1])
            assert result["status"] == "ready", result
            print(f"{kind:<7} {mode:<8} {elapsed:7.1f} s", flush=True)
            master = Path(result["hls"]).parent
            for r in result["renditions"]:
                if mode == "new+av1" and r["codec"] == "h264":
                    continue  # same as "new"
                name = f"{min(r['width'], r['height'])}p"
                folder = (
                    master / name if r["codec"] == "h264" else next(master.glob(f"av1-*/{name}"))
                )
                size, mean, low = rung_stats(ff, folder, path, r["width"], r["height"], work)
                kbps = size * 8 / 1000 / info.duration
                rows.append((kind, mode, r["codec"], name, kbps, mean, low))
                print(
                    f"    {r['codec']} {name}: {kbps:.0f} kb/s, VMAF {mean:.2f} (1% low {low:.2f})",
                    flush=True,
                )
    print()
    print("| clip | run | codec | rung | kb/s | VMAF mean | VMAF 1% low |")
    print("|---|---|---|---|---:|---:|---:|")
    for kind, mode, codec, name, kbps, mean, low in rows:
        print(f"| {kind} | {mode} | {codec} | {name} | {kbps:.0f} | {mean:.2f} | {low:.2f} |")
    print()
    for kind in clips:
        today = times.get((kind, "today"))
        for mode in ("new", "new+av1"):
            if today and (kind, mode) in times:
                target = 1.5 if mode == "new" else 4.0
                print(
                    f"{kind}: {mode} / today = {times[(kind, mode)]:.1f} / {today:.1f} s = "
                    f"{times[(kind, mode)] / today:.2f} (target <= {target})"
                )
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
