"""Benchmark the media pipeline on a generated 60 s 1080p clip.

    .venv/bin/python benchmarks/pipeline.py [--seconds 60] [--keep DIR]

In one run it times:
  * the whole pipeline: ``manage.py import_clips --wait --json`` (probe, one ffmpeg
    run for every rung + poster + sprite, MP4 remux, publish, database updates);
  * (a) one bare ffmpeg command producing the same HLS rungs with the same settings;
  * (b) separate ffmpeg runs, one per rung (decoding the source each time);
and prints the ratios (targets: pipeline <= 1.15 x (a), pipeline < (b)) and the VMAF of
the 720p rung against the source (libvmaf from the imageio-ffmpeg build).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def timed(argv: list[str], **kwargs) -> float:
    start = time.perf_counter()
    subprocess.run(argv, check=True, capture_output=True, **kwargs)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--keep", help="work in this folder and keep it")
    args = parser.parse_args()

    work = Path(args.keep or tempfile.mkdtemp(prefix="bench-pipeline-"))
    work.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.dev",
        "DATABASE_URL": f"sqlite:///{work / 'bench.sqlite3'}",
        "MEDIA_ROOT": str(work / "media"),
        "PYTHONPATH": str(ROOT),
    }
    os.environ.update({k: env[k] for k in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "MEDIA_ROOT")})
    import django

    django.setup()
    from django.conf import settings

    from media_pipeline.ffmpeg import ffmpeg_binary
    from media_pipeline.ladder import plan_ladder
    from media_pipeline.probe import probe
    from media_pipeline.testing import make_test_clip

    ff = ffmpeg_binary()
    conf = settings.MEDIA_PIPELINE
    source = work / f"source-{args.seconds}s-1080p.mp4"
    if not source.exists():
        print(f"generating {source.name} ...", flush=True)
        make_test_clip(source, seconds=args.seconds, width=1920, height=1080, fps=30)
    info = probe(source)
    rungs = plan_ladder(info)
    print(
        f"source: {info.width}x{info.height} {info.duration:.1f}s {info.fps:g} fps; "
        f"rungs: {', '.join(r.name for r in rungs)}; preset {conf['X264_PRESET']}; "
        f"{os.cpu_count()} cpus",
        flush=True,
    )

    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], check=True, env=env)

    # The whole pipeline.
    start = time.perf_counter()
    out = subprocess.run(
        [*manage, "import_clips", "--wait", "--json", str(source)],
        check=True,
        env=env,
        capture_output=True,
        text=True,
    )
    t_pipeline = time.perf_counter() - start
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["status"] == "ready", result

    # x264/HLS settings shared by (a) and (b), as the pipeline uses them.
    gop = conf["GOP_SECONDS"]

    def x264(i: int, rung) -> list[str]:
        return [
            f"-c:v:{i}",
            "libx264",
            "-preset",
            conf["X264_PRESET"],
            "-crf",
            str(conf["CRF"]),
            "-profile:v",
            "high",
            "-pix_fmt",
            "yuv420p",
            "-force_key_frames",
            f"expr:gte(t,n_forced*{gop})",
            "-sc_threshold",
            "0",
            f"-maxrate:v:{i}",
            f"{rung.maxrate_k}k",
            f"-bufsize:v:{i}",
            f"{rung.bufsize_k}k",
        ]

    def hls(folder: Path, stream_map: str) -> list[str]:
        return [
            "-f",
            "hls",
            "-hls_time",
            str(conf["SEGMENT_SECONDS"]),
            "-hls_playlist_type",
            "vod",
            "-hls_segment_type",
            "fmp4",
            "-master_pl_name",
            "master.m3u8",
            "-var_stream_map",
            stream_map,
            "-hls_segment_filename",
            str(folder / "%v" / "seg_%04d.m4s"),
            str(folder / "%v" / "index.m3u8"),
        ]

    audio = ["-c:a", "aac", "-b:a", f"{conf['AUDIO_BITRATE_K']}k", "-ac", "2"]
    base = [ff, "-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-i", str(source)]

    # (a) one bare command, split filter, all rungs.
    a_dir = work / "bare_one"
    shutil.rmtree(a_dir, ignore_errors=True)
    labels = "".join(f"[v{i}]" for i in range(len(rungs)))
    graph = f"[0:v]split={len(rungs)}{labels};" + ";".join(
        f"[v{i}]scale={r.width}:{r.height}[o{i}]" for i, r in enumerate(rungs)
    )
    argv_a = [*base, "-filter_complex", graph]
    for i, r in enumerate(rungs):
        argv_a += ["-map", f"[o{i}]", *x264(i, r)]
    argv_a += ["-map", "0:a", *audio]
    stream_map = "a:0,agroup:aud " + " ".join(
        f"v:{i},agroup:aud,name:{r.name}" for i, r in enumerate(rungs)
    )
    t_a = timed(argv_a + hls(a_dir, stream_map))

    # (b) one ffmpeg run per rung.
    b_dir = work / "bare_each"
    shutil.rmtree(b_dir, ignore_errors=True)
    t_b = 0.0
    for r in rungs:
        argv_b = [
            *base,
            "-map",
            "0:v",
            "-vf",
            f"scale={r.width}:{r.height}",
            *x264(0, r),
            "-map",
            "0:a",
            *audio,
        ]
        t_b += timed(argv_b + hls(b_dir / r.name, "v:0,a:0,name:out"))

    # VMAF of the 720p rung (upscaled back to the source size) against the source.
    vmaf = None
    rung_720 = Path(result["hls"]).parent / "720p"
    if rung_720.is_dir():
        joined = work / "720p.mp4"
        with open(joined, "wb") as fh:
            for part in sorted(rung_720.glob("init*.mp4")) + sorted(rung_720.glob("seg_*.m4s")):
                fh.write(part.read_bytes())
        vm = subprocess.run(
            [
                ff,
                "-nostdin",
                "-hide_banner",
                "-i",
                str(joined),
                "-i",
                str(source),
                "-lavfi",
                f"[0:v]scale={info.width}:{info.height}:flags=bicubic,setpts=PTS-STARTPTS[d];"
                "[1:v]setpts=PTS-STARTPTS[r];"
                f"[d][r]libvmaf=n_threads={os.cpu_count()}:n_subsample=5",
                "-f",
                "null",
                "-",
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        found = re.search(r"VMAF score: ([\d.]+)", vm.stderr)
        vmaf = float(found.group(1)) if found else None

    print(f"pipeline (import_clips --wait): {t_pipeline:7.1f} s")
    print(
        f"(a) one bare ffmpeg, all rungs: {t_a:7.1f} s   ratio pipeline/(a) = "
        f"{t_pipeline / t_a:.2f}  (target <= 1.15)"
    )
    print(
        f"(b) one ffmpeg per rung:        {t_b:7.1f} s   ratio pipeline/(b) = "
        f"{t_pipeline / t_b:.2f}  (target < 1)"
    )
    print(f"VMAF 720p rung vs source: {vmaf if vmaf is not None else 'n/a'}")
    print(f"renditions: {result['renditions']}")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
