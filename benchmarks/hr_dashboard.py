"""HR dashboard benchmark: 100,000 officers in 300 units, 20 courses, realistic progress,
on PostgreSQL; times the dashboard, a filtered dashboard and a full-agency CSV export.

    .venv/bin/python benchmarks/hr_dashboard.py                    # 100k officers, 300 units
    .venv/bin/python benchmarks/hr_dashboard.py --officers 20000 --units 100 --runs 5
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hr_bench (the default)

The database is (re)created and migrated; rows are made with bulk_create. Requests go
through Django's test client (view + template, no network). Reports the median and p90
of each request, the SQL query count for the dashboard at two unit counts (it must not
grow with units shown), and the export's row count and Python peak memory while
streaming (tracemalloc; it must stay flat as rows grow). Targets: dashboard median
< 500 ms; export streamed with flat memory.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/hr_bench"


def recreate_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def seed(officers: int, units: int, courses: int) -> None:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from courses.models import CoursePage
    from hr.models import Assignment
    from officers.models import Agency, OfficerProfile, PositionLevel
    from progress.models import CourseCompletion, Enrolment
    from tests.factories import course_index

    rng = random.Random(2568)
    User = get_user_model()
    ministry = Agency.add_root(code="M", name="กระทรวงทดสอบ", level="ministry")
    depts = [ministry.add_child(code=f"D{d}", name=f"กรม {d}") for d in range(10)]
    leaves = []
    per_dept = max(1, (units - 11) // len(depts))
    for d, dept in enumerate(depts):
        for i in range(per_dept):
            leaves.append(dept.add_child(code=f"D{d}-{i}", name=f"กอง {d}-{i}", level="division"))
    print(f"  agencies: {Agency.objects.count()}", flush=True)
    index = course_index()
    course_objs = [
        index.add_child(instance=CoursePage(title=f"หลักสูตรทดสอบ {c}", slug=f"bench-{c}"))
        for c in range(courses)
    ]
    levels = PositionLevel.values
    batch = 5000
    t0 = time.perf_counter()
    for start in range(0, officers, batch):
        users = [
            User(username=f"bench{n}", password="!", first_name="ทดสอบ", last_name=f"{n}")
            for n in range(start, min(start + batch, officers))
        ]
        User.objects.bulk_create(users, batch_size=batch)
        users = list(User.objects.filter(username__in=[u.username for u in users]))
        profiles = OfficerProfile.objects.bulk_create(
            [
                OfficerProfile(
                    user=u,
                    agency=rng.choice(leaves),
                    title_th="นาย",
                    first_name_th="ทดสอบ",
                    last_name_th=u.last_name,
                    position_level=(lvl := rng.choice(levels)),
                    position_type={
                        "M": "executive",
                        "D": "managerial",
                        "K": "knowledge",
                        "O": "general",
                    }[lvl[0]],
                )
                for u in users
            ],
            batch_size=batch,
        )
        # bulk_create sends no signals: set each record's unit as the app keeps it.
        unit_of = {p.user_id: p.agency_id for p in profiles}
        now = timezone.now()
        enrol, done = [], []
        for u in users:
            for course in rng.sample(course_objs, 3):
                enrol.append(
                    Enrolment(user=u, course=course, source="assignment", unit_id=unit_of[u.pk])
                )
                if rng.random() < 0.6:
                    done.append(
                        CourseCompletion(
                            user=u,
                            course=course,
                            unit_id=unit_of[u.pk],
                            completed_at=now - timezone.timedelta(days=rng.randint(0, 700)),
                            reason="all_lessons",
                            learning_minutes=rng.randint(10, 90),
                            assisted=rng.random() < 0.05,
                            score=rng.randint(60, 100),
                        )
                    )
        Enrolment.objects.bulk_create(enrol, batch_size=batch)
        CourseCompletion.objects.bulk_create(done, batch_size=batch)
        print(f"  officers: {start + len(users)}", end="\r", flush=True)
    print(f"\n  seeded in {time.perf_counter() - t0:.1f} s", flush=True)
    for i, dept in enumerate(depts[:5]):
        Assignment.objects.create(
            course=course_objs[i],
            agency=dept,
            due_date=timezone.localdate() - timezone.timedelta(days=10),
        )


def timed(client, url: str, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        resp = client.get(url)
        if getattr(resp, "streaming", False):
            for _chunk in resp.streaming_content:
                pass
        assert resp.status_code == 200, (url, resp.status_code)
        out.append((time.perf_counter() - t) * 1000)
    return out


def summary(name: str, ms: list[float]) -> None:
    ms = sorted(ms)
    p90 = ms[min(len(ms) - 1, int(len(ms) * 0.9))]
    print(f"{name:<34} median {statistics.median(ms):8.1f} ms   p90 {p90:8.1f} ms   n={len(ms)}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--officers", type=int, default=100_000)
    parser.add_argument("--units", type=int, default=300)
    parser.add_argument("--courses", type=int, default=20)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--reuse", action="store_true", help="keep an already seeded database")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", DEFAULT_DB)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")
    os.environ["DJANGO_DEBUG"] = "0"
    if not args.reuse:
        recreate_database(url)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import override_settings

    from hr.selectors import dashboard_for
    from officers.models import Agency

    if not args.reuse:
        print("migrating...", flush=True)
        call_command("migrate", verbosity=0)
        print("seeding...", flush=True)
        seed(args.officers, args.units, args.courses)
        with connection.cursor() as cur:
            # After a bulk load, as a DBA would: statistics and the visibility map
            # (so the dashboard counts run as index-only scans).
            cur.execute("VACUUM ANALYZE")
    from django.contrib.auth import get_user_model

    admin, _ = get_user_model().objects.get_or_create(
        username="bench-admin", defaults={"is_superuser": True, "is_staff": True}
    )
    settings.ALLOWED_HOSTS = ["*"]
    client = Client()
    client.force_login(admin)
    units = Agency.objects.count()
    dept = Agency.objects.get(code="D0")
    print(f"{get_user_model().objects.count()} users, {units} units")
    with override_settings(DEBUG=False):
        summary("dashboard (all units)", timed(client, "/hr/", args.runs))
        summary(
            "dashboard (one department, FY)",
            timed(client, f"/hr/?unit={dept.pk}&fy=2569", args.runs),
        )
    # Query count at two unit counts: must not grow with units shown.
    with override_settings(DEBUG=True):
        for label, agency_id in (("one department", dept.pk), ("all units", None)):
            reset_queries()
            dashboard_for(admin, agency_id=agency_id)
            print(f"dashboard_for queries ({label}): {len(connection.queries)}")
    tracemalloc.start()
    t = time.perf_counter()
    resp = client.get("/hr/export.csv")
    rows = -1
    for chunk in resp.streaming_content:
        rows += chunk.count(b"\n") if isinstance(chunk, bytes) else chunk.count("\n")
    elapsed = time.perf_counter() - t
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"export.csv (all): {rows} rows in {elapsed:.1f} s, Python peak {peak / 2**20:.1f} MiB")
    tracemalloc.start()
    resp = client.get(f"/hr/export.csv?unit={dept.pk}")
    rows_d = -1
    for chunk in resp.streaming_content:
        rows_d += chunk.count(b"\n") if isinstance(chunk, bytes) else chunk.count("\n")
    _, peak_d = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"export.csv (one department): {rows_d} rows, Python peak {peak_d / 2**20:.1f} MiB")


if __name__ == "__main__":
    main()
