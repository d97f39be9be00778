"""Catalogue and Thai search benchmark: seed 500 courses and 3,000 lessons, then report
median and p95 server time and query count for the catalogue, a filtered catalogue and
a Thai search.

    DJANGO_SETTINGS_MODULE=lms.settings.test .venv/bin/python benchmarks/catalogue.py
    # on PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:5432/courses_bench ...

It builds its own throwaway database (test_<name>, as the test runner does), bulk-loads
pages with treebeard paths and search-index rows written by the real indexer, and times
requests through Django's test client (server time: URL resolving, views, templates).
Targets: median < 100 ms, p95 < 250 ms, query count independent of courses on a page.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.runner import DiscoverRunner  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

WORDS = [
    "ลายมือชื่อดิจิทัล",
    "ธุรกรรมทางอิเล็กทรอนิกส์",
    "ข้อมูลเปิดภาครัฐ",
    "การพิสูจน์และยืนยันตัวตน",
    "ความมั่นคงปลอดภัยไซเบอร์",
    "หนังสือราชการอิเล็กทรอนิกส์",
    "กรอกข้อมูลครั้งเดียว",
    "บริการประชาชน",
]


def bulk_create_pages(model, objs) -> None:
    """bulk_create for Wagtail pages (multi-table inheritance): the wagtailcore_page rows
    first, then the specific rows pointing at them."""
    from wagtail.models import Page

    parents = [
        Page(
            **{
                f.attname: getattr(o, f.attname)
                for f in Page._meta.concrete_fields
                if not f.primary_key
            }
        )
        for o in objs
    ]
    Page.objects.bulk_create(parents, batch_size=300)
    ids = dict(Page.objects.filter(path__in=[p.path for p in parents]).values_list("path", "pk"))
    for obj in objs:
        obj.page_ptr_id = obj.id = ids[obj.path]
    fields = [f for f in model._meta.local_concrete_fields]
    for start in range(0, len(objs), 300):
        model._base_manager._insert(objs[start : start + 300], fields=fields, using="default")


def seed(n_courses: int, lessons_per_course: int) -> None:
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone
    from wagtail.models import Page
    from wagtail.search.backends import get_search_backend

    from courses import demo
    from courses.models import (
        CourseIndexPage,
        CoursePage,
        CourseSkillTarget,
        LessonPage,
        RoadmapPhase,
    )
    from officers import demo as officers_demo
    from quizzes import demo as quizzes_demo
    from reference import demo as reference_demo
    from reference.models import SkillArea, ToolTopic

    officers_demo.seed()
    reference_demo.seed()
    quizzes_demo.seed()
    demo.seed()
    catalogue = CourseIndexPage.objects.get(slug="courses")
    topics = list(ToolTopic.objects.all())
    skills = list(SkillArea.objects.all())
    phases = [p for p, _ in RoadmapPhase.choices]
    agency_types = ["central", "regional", "local", "state_enterprise", "public_org"]
    rng = random.Random(2568)
    course_ct = ContentType.objects.get_for_model(CoursePage)
    lesson_ct = ContentType.objects.get_for_model(LessonPage)
    base = catalogue.path
    existing = catalogue.get_children().count()
    step = CoursePage.steplen
    now = timezone.now()

    def segment(n: int) -> str:
        return Page._int2str(n).rjust(step, "0")

    with transaction.atomic():
        courses = []
        for i in range(n_courses):
            word = WORDS[i % len(WORDS)]
            courses.append(
                CoursePage(
                    title=f"หลักสูตร {i} {word}",
                    slug=f"bench-{i}",
                    path=base + segment(existing + i + 1),
                    depth=catalogue.depth + 1,
                    numchild=lessons_per_course,
                    url_path=f"{catalogue.url_path}bench-{i}/",
                    content_type=course_ct,
                    live=True,
                    first_published_at=now,
                    last_published_at=now,
                    summary=f"เรียนรู้เรื่อง{word} ได้ตามกฎหมายที่มีอยู่ ไม่ต้องแก้กฎหมาย",
                    roadmap_phase=rng.choice(phases),
                    agency_types=rng.sample(agency_types, 2),
                    duration_minutes=rng.randint(3, 50),
                    lesson_count=lessons_per_course,
                    locale_id=catalogue.locale_id,
                )
            )
        bulk_create_pages(CoursePage, courses)
        Page.objects.filter(pk=catalogue.pk).update(numchild=existing + n_courses)
        courses = list(CoursePage.objects.filter(slug__startswith="bench-").order_by("path"))
        through = CoursePage.tool_topics.through
        through.objects.bulk_create(
            [
                through(coursepage_id=c.pk, tooltopic_id=t.pk)
                for c in courses
                for t in rng.sample(topics, 2)
            ]
        )
        CourseSkillTarget.objects.bulk_create(
            [
                CourseSkillTarget(course=c, skill_area=rng.choice(skills), level=rng.randint(1, 3))
                for c in courses
            ]
        )
        lessons = [
            LessonPage(
                title=f"บทเรียน {j + 1} {WORDS[(i + j) % len(WORDS)]}",
                slug=f"lesson-{j + 1}",
                path=c.path + segment(j + 1),
                depth=c.depth + 1,
                numchild=0,
                url_path=f"{c.url_path}lesson-{j + 1}/",
                content_type=lesson_ct,
                live=True,
                first_published_at=now,
                last_published_at=now,
                body=[("text", f"<p>{WORDS[j % len(WORDS)]} ใช้ได้ทันที</p>")],
                locale_id=catalogue.locale_id,
            )
            for i, c in enumerate(courses)
            for j in range(lessons_per_course)
        ]
        bulk_create_pages(LessonPage, lessons)
    # Index the bulk-created pages with the real indexer (the same text segmentation).
    backend = get_search_backend()
    index = backend.get_index_for_model(CoursePage)
    index.add_items(CoursePage, list(CoursePage.objects.filter(slug__startswith="bench-")))
    index.add_items(LessonPage, list(LessonPage.objects.filter(slug__startswith="lesson-")))


def measure(client, url: str, params: dict, runs: int) -> dict:
    client.get(url, params)  # warm caches
    times, queries = [], []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(url, params)
            elapsed = (time.perf_counter() - start) * 1000
        assert response.status_code == 200, (url, params, response.status_code)
        times.append(elapsed)
        queries.append(len(ctx.captured_queries))
    times.sort()
    return {
        "median_ms": statistics.median(times),
        "p95_ms": times[max(0, int(round(0.95 * len(times))) - 1)],
        "queries": sorted(set(queries)),
        "items": len(response.context.get("courses") or response.context.get("results") or []),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--courses", type=int, default=500)
    parser.add_argument("--lessons-per-course", type=int, default=6)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()

    from django.conf import settings
    from django.test import Client

    setup_test_environment()
    settings.DEBUG = False
    runner = DiscoverRunner(verbosity=0, interactive=False)
    old_config = runner.setup_databases()
    try:
        t0 = time.perf_counter()
        seed(args.courses, args.lessons_per_course)
        from courses.models import CoursePage, LessonPage

        print(
            f"seeded {CoursePage.objects.count()} courses, {LessonPage.objects.count()} lessons "
            f"in {time.perf_counter() - t0:.1f} s on {connection.vendor}",
            flush=True,
        )
        client = Client()
        cases = [
            ("catalogue", "/courses/", {}),
            ("catalogue page 20", "/courses/", {"page": 20}),
            (
                "filtered catalogue",
                "/courses/",
                {"topic": "digital-signature", "phase": "integration", "duration": "medium"},
            ),
            ("Thai search อิเล็กทรอนิกส์", "/search/", {"q": "อิเล็กทรอนิกส์"}),
            ("Thai search ลายมือชื่อ", "/search/", {"q": "ลายมือชื่อ"}),
        ]
        print(f"{'case':32} {'median ms':>10} {'p95 ms':>8} {'queries':>10} {'items':>6}")
        for name, url, params in cases:
            r = measure(client, url, params, args.runs)
            print(
                f"{name:32} {r['median_ms']:10.1f} {r['p95_ms']:8.1f} "
                f"{','.join(map(str, r['queries'])):>10} {r['items']:6}",
                flush=True,
            )
    finally:
        runner.teardown_databases(old_config)


if __name__ == "__main__":
    main()
