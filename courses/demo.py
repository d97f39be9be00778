"""Demo content: the Thai home page, catalogue, two courses of three lessons, two
success stories, a learning path, agency editing areas and the review workflow.
Every step is idempotent."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from wagtail.models import Page, Site

from common.sites import follow_base_url
from media_pipeline.demo import demo_clips
from quizzes.demo import demo_quizzes
from reference.demo import PROVISIONS
from reference.models import LegalProvision, RoleLevel, SkillArea, ToolTopic

from .models import (
    CompletionRule,
    CoursePage,
    CourseSkillTarget,
    LearningPathPage,
    LearningPathStep,
    LessonPage,
    RoadmapPhase,
    SuccessStoryPage,
)
from .services import agency_editing_setup, course_refresh_totals, review_workflow_setup

COURSES = [
    {
        "slug": "digital-signature-basics",
        "title": "ลายมือชื่อดิจิทัลในงานราชการ",
        "summary": "ลงนามหนังสือและใบรับรองด้วยลายมือชื่อดิจิทัลได้ตามกฎหมายที่มีอยู่ ไม่ต้องแก้กฎหมาย",
        "outcomes": "อธิบายได้ว่ากฎหมายใดรองรับลายมือชื่ออิเล็กทรอนิกส์\n"
        "เลือกใช้ลายมือชื่อดิจิทัลที่เชื่อถือได้\nออกเอกสารอิเล็กทรอนิกส์ที่ตรวจสอบได้",
        "topics": ["digital-signature", "digital-document"],
        "skills": [("digital-literacy", RoleLevel.OPERATIONAL, 1)],
        "phase": RoadmapPhase.DIGITALIZATION,
        "agency_types": ["central", "regional", "local"],
        "lessons": [
            (
                "ธุรกรรมทางอิเล็กทรอนิกส์มีผลตามกฎหมาย",
                "<p>ข้อมูลอิเล็กทรอนิกส์มีผลทางกฎหมายและถือเป็นหนังสือได้</p>",
                ["eta-7", "eta-8"],
                CompletionRule.WATCHED,
                4,  # minutes of reading and quiz without a clip
            ),
            (
                "ลายมือชื่อดิจิทัลที่เชื่อถือได้",
                "<p>ลายมือชื่ออิเล็กทรอนิกส์ใช้แทนการลงนามบนกระดาษได้</p>",
                ["eta-9", "eta-26"],
                CompletionRule.WATCHED_AND_PASSED,
                5,  # minutes of reading and quiz without a clip
            ),
            (
                "ใบแสดงผลการศึกษาแบบดิจิทัล",
                "<p>มหาวิทยาลัยออกใบแสดงผลการศึกษาที่ลงนามดิจิทัล ตรวจสอบได้ทันที</p>",
                ["eta-26", "ega-15-17"],
                CompletionRule.WATCHED_OR_PASSED,
                3,  # minutes of reading and quiz without a clip
            ),
        ],
    },
    {
        "slug": "one-time-data-entry",
        "title": "กรอกข้อมูลครั้งเดียว เลิกขอสำเนาเอกสาร",
        "summary": "ใช้ข้อมูลที่รัฐมีอยู่แล้ว ไม่เรียกสำเนาบัตรประชาชนและทะเบียนบ้านจากประชาชน",
        "outcomes": "ระบุเอกสารที่ไม่ต้องเรียกจากประชาชน\nเชื่อมโยงข้อมูลกับหน่วยงานอื่นได้",
        "topics": ["one-time-data-entry", "digital-id"],
        "skills": [
            ("digital-service", RoleLevel.OPERATIONAL, 2),
            ("data-utilization", RoleLevel.SUPERVISOR, 2),
        ],
        "phase": RoadmapPhase.INTEGRATION,
        "agency_types": ["central", "regional", "local", "public_org"],
        "lessons": [
            (
                "ห้ามเรียกสำเนาเอกสารที่รัฐออกเอง",
                "<p>พระราชบัญญัติการบริหารงานและการให้บริการภาครัฐผ่านระบบดิจิทัล มาตรา 12 วรรคท้าย</p>",
                ["dga-11", "dga-12-last"],
                CompletionRule.WATCHED,
                3,  # minutes of reading and quiz without a clip
            ),
            (
                "ยืนยันตัวตนด้วย ThaID",
                "<p>เข้าสู่ระบบบริการภาครัฐด้วย Digital ID แทนการมาแสดงตัว</p>",
                ["dga-12-4", "ega-8-9"],
                CompletionRule.PASSED,
                4,  # minutes of reading and quiz without a clip
            ),
            (
                "เชื่อมโยงข้อมูลระหว่างหน่วยงาน",
                "<p>ใช้ข้อมูลที่หน่วยงานมีอยู่แล้วแทนการเรียกเอกสารจากประชาชน</p>",
                ["ega-12"],
                CompletionRule.WATCHED_AND_PASSED,
                5,  # minutes of reading and quiz without a clip
            ),
        ],
    },
]


def _say(stdout, text: str) -> None:
    if stdout:
        stdout.write(text)


def _provision(key: str) -> LegalProvision:
    (law_th, _law_en), section, _summary = PROVISIONS[key]
    return LegalProvision.objects.get(law_name_th=law_th, section=section)


def _home():
    from .models import HomePage

    home = HomePage.objects.first()
    if home is None:
        # Wagtail's initial migration leaves a "Welcome" page (slug "home") as the
        # default site's root; it has no place here.
        Page.objects.filter(depth=2, content_type__model="page").delete()
        root = Page.get_first_root_node()
        home = HomePage(
            title="เรียนรู้รัฐบาลดิจิทัล",
            slug="home",
            intro=(
                "<p>คลิปสั้นและแบบทดสอบจากหน่วยงานที่ทำสำเร็จแล้ว: ใช้ Digital ID, "
                "Open Data, ลายมือชื่อดิจิทัล และอื่น ๆ ได้ตามกฎหมายที่มีอยู่ ไม่ต้องแก้กฎหมาย</p>"
            ),
        )
        root.add_child(instance=home)
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name="เรียนรู้รัฐบาลดิจิทัล",
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.site_name = "เรียนรู้รัฐบาลดิจิทัล"
        site.save()
    # Removing Wagtail's welcome page removed the Site that migrate had pointed at the base
    # URL; the new one names where the site is served too.
    follow_base_url()
    return home


def _estimate_if_missing(lesson: LessonPage, minutes: int | None) -> None:
    """A database seeded before lessons had estimated minutes gets them (course cards
    said "0 นาที" for clip-less lessons)."""
    if minutes and lesson.estimated_minutes is None:
        lesson.estimated_minutes = minutes
        lesson.save_revision().publish()


def _seed_courses(catalogue, clips: list, quizzes: list) -> list[CoursePage]:
    courses = []
    lesson_index = 0
    # Lesson quizzes come first in the list, one per lesson; the final quizzes after them.
    final_quiz_index = sum(len(spec["lessons"]) for spec in COURSES)
    for spec in COURSES:
        course = CoursePage.objects.child_of(catalogue).filter(slug=spec["slug"]).first()
        if course is None:
            course = CoursePage(
                title=spec["title"],
                slug=spec["slug"],
                summary=spec["summary"],
                learning_outcomes=spec["outcomes"],
                roadmap_phase=spec["phase"],
                agency_types=spec["agency_types"],
            )
            course.tool_topics = list(ToolTopic.objects.filter(slug__in=spec["topics"]))
            course.skill_targets = [
                CourseSkillTarget(
                    skill_area=SkillArea.objects.get(slug=slug), role_level=role, level=level
                )
                for slug, role, level in spec["skills"]
            ]
            catalogue.add_child(instance=course)
            course.save_revision().publish()
        for n, (title, text, provision_keys, rule, minutes) in enumerate(spec["lessons"], start=1):
            i = lesson_index
            lesson_index += 1
            clip = clips[i] if i < len(clips) else None
            existing = LessonPage.objects.child_of(course).filter(slug=f"lesson-{n}").first()
            if existing is not None:
                _estimate_if_missing(existing, None if existing.clip_id else minutes)
                continue
            quiz = quizzes[i]
            if clip is None:
                rule = CompletionRule.PASSED  # nothing to watch: the quiz decides
            body = [
                ("text", text),
                (
                    "legal_basis",
                    {
                        "provisions": [_provision(k) for k in provision_keys],
                        "assisted_path": True,
                    },
                ),
            ]
            body.append(("quiz", quiz))
            lesson = LessonPage(
                title=title,
                slug=f"lesson-{n}",
                clip=clip,
                body=body,
                completion_rule=rule,
                # Without a clip the course length counts the editor's estimate.
                estimated_minutes=None if clip else minutes,
            )
            course.add_child(instance=lesson)
            lesson.save_revision().publish()
        if course.final_quiz_id is None:
            course.final_quiz = quizzes[final_quiz_index]
            course.save_revision().publish()
        final_quiz_index += 1
        course_refresh_totals(course=course)
        courses.append(course)
    return courses


STORIES = [
    {
        "code": "A",
        "slug": "digital-transcripts",
        "title": "ใบแสดงผลการศึกษาดิจิทัล ตรวจสอบได้ในไม่กี่วินาที",
        "province": "กรุงเทพมหานคร",
        "topics": ["digital-signature", "digital-document"],
        "provisions": ["eta-9", "eta-26"],
        "problem": "<p>ผู้สำเร็จการศึกษาต้องรอใบแสดงผลการศึกษาฉบับกระดาษหลายวัน</p>",
        "changed": "<p>ออกเอกสารอิเล็กทรอนิกส์ลงลายมือชื่อดิจิทัล ไม่ต้องแก้กฎหมาย</p>",
        "figures": [("วันที่ใช้ออกเอกสาร", 7, 1, "วัน"), ("ค่าไปรษณีย์ต่อฉบับ", 40, 0, "บาท")],
    },
    {
        "code": "B",
        "slug": "no-more-copies",
        "title": "จังหวัดเลิกขอสำเนาบัตรประชาชน",
        "province": "ขอนแก่น",
        "topics": ["one-time-data-entry", "digital-id"],
        "provisions": ["dga-12-last", "ega-12"],
        "problem": "<p>ประชาชนต้องถ่ายสำเนาบัตรและทะเบียนบ้านทุกครั้งที่ติดต่อราชการ</p>",
        "changed": "<p>ตรวจข้อมูลจากระบบที่เชื่อมโยงกัน ประชาชนไม่ต้องถ่ายสำเนา</p>",
        "figures": [("สำเนาเอกสารต่อปี", 12000, 0, "แผ่น")],
    },
]


def _seed_stories(areas: dict, clips: list) -> int:
    count = 0
    for n, spec in enumerate(STORIES):
        area = areas[spec["code"]]
        index = area.stories_index
        if SuccessStoryPage.objects.child_of(index).filter(slug=spec["slug"]).exists():
            count += 1
            continue
        story = SuccessStoryPage(
            title=spec["title"],
            slug=spec["slug"],
            agency=area.agency,
            province=spec["province"],
            problem=spec["problem"],
            what_changed=spec["changed"],
            figures=[
                ("row", {"label": label, "before": before, "after": after, "unit": unit})
                for label, before, after, unit in spec["figures"]
            ],
            clip=clips[-1 - n] if len(clips) > n else None,
        )
        story.tool_topics = list(ToolTopic.objects.filter(slug__in=spec["topics"]))
        story.legal_provisions = [_provision(k) for k in spec["provisions"]]
        index.add_child(instance=story)
        story.save_revision().publish()
        count += 1
    return count


def _seed_path(home, courses: list[CoursePage]) -> None:
    if LearningPathPage.objects.child_of(home).filter(slug="central-operational").exists():
        return
    path = LearningPathPage(
        title="เส้นทางสู่รัฐบาลดิจิทัล สำหรับเจ้าหน้าที่ระดับปฏิบัติ",
        slug="central-operational",
        intro="<p>เริ่มจากลดกระดาษ แล้วเชื่อมข้อมูล ก่อนเปลี่ยนบริการทั้งระบบ</p>",
        agency_type="central",
        role_level=RoleLevel.OPERATIONAL,
    )
    milestones = [
        (RoadmapPhase.DIGITALIZATION, "หนังสือราชการภายในหน่วยงานเป็นอิเล็กทรอนิกส์ทั้งหมด"),
        (RoadmapPhase.INTEGRATION, "ไม่เรียกสำเนาเอกสารที่รัฐออกให้จากประชาชนอีก"),
    ]
    path.steps = [
        LearningPathStep(course=course, phase=phase, milestone=milestone)
        for course, (phase, milestone) in zip(courses, milestones, strict=False)
    ]
    home.add_child(instance=path)
    path.save_revision().publish()


@transaction.atomic
def seed(stdout=None):
    from officers.models import Agency

    home = _home()
    from .services import site_structure_ensure

    _home_page, catalogue, _stories = site_structure_ensure()
    review_workflow_setup()
    areas = {
        code: agency_editing_setup(agency=Agency.objects.get(code=code)) for code in ("A", "B")
    }
    get_user_model().objects.get(username="editor_a").groups.add(areas["A"].group)

    clips = demo_clips()
    quizzes = demo_quizzes()
    courses = _seed_courses(catalogue, clips, quizzes)
    stories = _seed_stories(areas, clips)
    _seed_path(home, courses)
    _say(
        stdout,
        f"  courses: home, catalogue, {len(courses)} courses, {stories} success stories, "
        f"1 learning path, {len(areas)} agency editing areas, review workflow",
    )
    return home
