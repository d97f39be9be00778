"""The heartbeat's write alone: the ORM compare-and-swap that progress uses against the
raw-SQL statement it replaced, in one process on PostgreSQL, interleaved in blocks so
that load on the machine falls on both alike.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/progress_bench \\
        .venv/bin/python benchmarks/heartbeat_write.py [--rounds 3000]

Run ``benchmarks/heartbeat.py`` first (it migrates and seeds the lesson and officers).
Prints microseconds per write (median of blocks, wall clock and this process's CPU)
for each form and their ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def raw_cas(connection, WatchProgress):
    """The statement progress used before (built once from ``_meta``, values as params)."""
    q = connection.ops.quote_name
    meta = WatchProgress._meta
    columns = [
        "segments",
        "sessions",
        "coverage",
        "duration",
        "position",
        "video",
        "allowance",
        "allowance_at",
        "updated_at",
    ]
    sets = ", ".join(f"{q(meta.get_field(name).column)} = %s" for name in columns)
    revision = q(meta.get_field("revision").column)
    sql = (
        f"UPDATE {q(meta.db_table)} SET {sets}, {revision} = {revision} + 1"  # noqa: S608
        f" WHERE {q(meta.pk.column)} = %s AND {revision} = %s"
    )
    field = meta.get_field

    def write(row, segments, sessions, now) -> int:
        params = [
            field("segments").get_db_prep_value(segments, connection),
            field("sessions").get_db_prep_value(sessions, connection),
            0.5,
            600.0,
            12.0,
            row.video_id,
            3.0,
            now.timestamp(),
            field("updated_at").get_db_prep_value(now, connection),
            row.pk,
            row.revision,
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.rowcount

    return write


def orm_cas(WatchProgress, F):
    def write(row, segments, sessions, now) -> int:
        return WatchProgress.objects.filter(pk=row.pk, revision=row.revision).update(
            segments=segments,
            sessions=sessions,
            coverage=0.5,
            duration=600.0,
            position=12.0,
            video_id=row.video_id,
            allowance=3.0,
            allowance_at=now.timestamp(),
            updated_at=now,
            revision=F("revision") + 1,
        )

    return write


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3000, help="writes per form")
    parser.add_argument("--block", type=int, default=250)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("This benchmark runs on PostgreSQL: set DATABASE_URL=postgres://...")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.base")
    os.environ.setdefault("DJANGO_DEBUG", "0")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.db.models import F
    from django.utils import timezone

    from courses.models import LessonPage
    from progress.models import WatchProgress

    lesson = LessonPage.objects.get(slug="bench-lesson")
    user = get_user_model().objects.get(username="bench-officer-0")
    row, _ = WatchProgress.objects.get_or_create(
        user=user, lesson=lesson, defaults={"video_id": lesson.clip_id, "duration": 600}
    )
    segments = [[float(i * 10), float(i * 10 + 5)] for i in range(40)]
    sessions = {f"s{i}": {"last": 1.0e9, "reports": i, "trimmed": 0.0} for i in range(20)}
    forms = {"raw_sql": raw_cas(connection, WatchProgress), "orm": orm_cas(WatchProgress, F)}
    blocks: dict[str, list[float]] = {name: [] for name in forms}
    cpu: dict[str, list[float]] = {name: [] for name in forms}
    for _warm in range(2):
        for write in forms.values():
            row.refresh_from_db()
            write(row, segments, sessions, timezone.now())
    for _ in range(max(1, args.rounds // args.block)):
        for name, write in forms.items():
            row.refresh_from_db(fields=["revision"])
            now = timezone.now()
            started, started_cpu = time.perf_counter(), time.process_time()
            for _i in range(args.block):
                assert write(row, segments, sessions, now) == 1
                row.revision += 1
            blocks[name].append((time.perf_counter() - started) / args.block * 1e6)
            cpu[name].append((time.process_time() - started_cpu) / args.block * 1e6)
    result = {name: round(statistics.median(times), 1) for name, times in blocks.items()}
    cpu_result = {name: round(statistics.median(times), 1) for name, times in cpu.items()}
    print(
        json.dumps(
            {
                "microseconds_per_write": result,
                "orm_over_raw": round(result["orm"] / result["raw_sql"], 3),
                # Time this process spent (building and sending the statement), without
                # the wait for PostgreSQL: what the ORM adds, free of the machine's load.
                "web_process_cpu_microseconds_per_write": cpu_result,
                "rounds_per_form": args.block * len(blocks["orm"]),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
