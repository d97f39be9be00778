"""Rising user counts against a running server: one locust run per count, with the
CPU seconds each server-side process group used during the measured window.

    nice -n 10 .venv/bin/python benchmarks/load/run.py --host http://127.0.0.1:18414 \\
        --users 50,100,200 --measure 60 --out /tmp/scale-load/out [--classes SigningIn]

Each row is the steady state at that count, not the ramp: locust runs with its web
interface on a local port (--autostart), and its stats are reset (POST /stats/reset)
once every user has started and a warm-up has passed, so the CSV it writes at the end
covers only the measured window. CPU comes from /proc (utime + stime of
every process whose command line matches the group), so it needs no extra tools.
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
GROUPS = {
    "gunicorn": "gunicorn",
    "postgres": "postgres",
    "redis": "redis-server",
    "locust": "locust",
}
TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds() -> dict[str, float]:
    totals = dict.fromkeys(GROUPS, 0.0)
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        for group, needle in GROUPS.items():
            if needle in cmd:
                totals[group] += (int(fields[11]) + int(fields[12])) / TICK
                break
    return totals


def run(
    host: str, users: int, rate: float, warm: int, measure: int, out: Path, classes: list[str]
) -> dict:
    prefix = out / f"u{users}"
    ramp = users / rate
    port = 18089
    cmd = [
        sys.executable, "-m", "locust", "-f", str(HERE / "locustfile.py"), "--autostart",
        "--autoquit", "0", "--web-host", "127.0.0.1", "--web-port", str(port),
        "--host", host, "-u", str(users), "-r", str(rate),
        "-t", f"{int(ramp + warm + measure)}s", "--csv", str(prefix), "--only-summary", *classes,
    ]  # fmt: skip
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    time.sleep(ramp + warm)
    reset = urllib.request.Request(f"http://127.0.0.1:{port}/stats/reset", method="POST")
    urllib.request.urlopen(reset, timeout=30).read()  # noqa: S310 (a fixed local http URL)
    before, t0 = cpu_seconds(), time.monotonic()
    _, err = proc.communicate()
    after, elapsed = cpu_seconds(), time.monotonic() - t0
    with open(f"{prefix}_stats.csv") as f:
        rows = list(csv.DictReader(f))
    load1 = os.getloadavg()[0]
    return {
        "users": users,
        "rows": rows,
        "cpu": {g: (after[g] - before[g]) / elapsed for g in GROUPS},
        "load": load1,
        "stderr_tail": err.strip().splitlines()[-3:],
    }


def table(results: list[dict]) -> str:
    lines = [
        "| users | req/s | p50 ms | p95 ms | p99 ms | failures "
        "| web CPU (cores) | PG CPU | Redis CPU | load |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        agg = next(x for x in r["rows"] if x["Name"] == "Aggregated")
        c = r["cpu"]
        lines.append(
            f"| {r['users']} | {float(agg['Requests/s']):.1f} | {agg['50%']} | {agg['95%']} "
            f"| {agg['99%']} | {agg['Failure Count']} / {agg['Request Count']} "
            f"| {c['gunicorn']:.2f} | {c['postgres']:.2f} | {c['redis']:.2f} | {r['load']:.1f} |"
        )
    lines += ["", "Per endpoint:", ""]
    lines.append("| users | endpoint | req/s | p50 | p95 | p99 | failures |")
    lines.append("|---|---|---|---|---|---|---|")
    for r in results:
        for x in r["rows"]:
            if x["Name"] != "Aggregated":
                lines.append(
                    f"| {r['users']} | {x['Name']} | {float(x['Requests/s']):.2f} | {x['50%']} "
                    f"| {x['95%']} | {x['99%']} | {x['Failure Count']} |"
                )
    return "\n".join(lines)


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--host", required=True)
    p.add_argument("--users", default="50,100,200")
    p.add_argument("--rate", type=float, default=20.0, help="users started per second")
    p.add_argument("--warm", type=int, default=30, help="seconds after the ramp, not measured")
    p.add_argument("--measure", type=int, default=60, help="seconds measured at each count")
    p.add_argument("--out", type=Path, default=Path("var/load"))
    p.add_argument("--classes", default="", help="locust user classes, comma-separated")
    a = p.parse_args()
    a.out.mkdir(parents=True, exist_ok=True)
    classes = [c for c in a.classes.split(",") if c]
    results = []
    for u in (int(x) for x in a.users.split(",")):
        results.append(run(a.host, u, a.rate, a.warm, a.measure, a.out, classes))
        print(table(results[-1:]).splitlines()[2], flush=True)
    print(table(results))


if __name__ == "__main__":
    main()
