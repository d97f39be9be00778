"""Demo content: reference data (tool topics, provisions, skill areas), the Thai home
page, catalogue, two courses of three lessons, two success stories, a learning path,
agency editing areas and the review workflow. Every step is idempotent."""

from __future__ import annotations

import importlib

from django.contrib.auth import get_user_model
from django.db import transaction
from wagtail.models import Page, Site

from .models import (
    CompletionRule,
    CoursePage,
    CourseSkillTarget,
    LearningPathPage,
    LearningPathStep,
    LegalProvision,
    LessonPage,
    RoadmapPhase,
    RoleLevel,
    SkillArea,
    SkillKind,
    SuccessStoryPage,
    ToolTopic,
)
from .services import agency_editing_setup, course_refresh_totals, review_workflow_setup

ETA = ("พระราชบัญญัติว่าด้วยธุรกรรมทางอิเล็กทรอนิกส์ พ.ศ. 2544", "Electronic Transactions Act B.E. 2544")
DGA = (
    "พระราชบัญญัติการบริหารงานและการให้บริการภาครัฐผ่านระบบดิจิทัล พ.ศ. 2562",
    "Digital Government Administration and Services Act B.E. 2562",
)
EGA = (
    "พระราชบัญญัติการปฏิบัติราชการทางอิเล็กทรอนิกส์ พ.ศ. 2565",
    "Act on Electronic Government Administration B.E. 2565",
)
CSA = ("พระราชบัญญัติการรักษาความมั่นคงปลอดภัยไซเบอร์ พ.ศ. 2562", "Cybersecurity Act B.E. 2562")
PDPA = (
    "พระราชบัญญัติคุ้มครองข้อมูลส่วนบุคคล พ.ศ. 2562",
    "Personal Data Protection Act B.E. 2562",
)
ETA_2562 = (
    "พระราชบัญญัติว่าด้วยธุรกรรมทางอิเล็กทรอนิกส์ (ฉบับที่ 4) พ.ศ. 2562",
    "Electronic Transactions Act (No. 4) B.E. 2562",
)
CORRESPONDENCE = (
    "ระเบียบสำนักนายกรัฐมนตรีว่าด้วยงานสารบรรณ (ฉบับที่ 4) พ.ศ. 2564",
    "PM Office Regulation on Correspondence (No. 4) B.E. 2564",
)
E_MEETING = (
    "พระราชกำหนดว่าด้วยการประชุมผ่านสื่ออิเล็กทรอนิกส์ พ.ศ. 2563",
    "Emergency Decree on Electronic Meetings B.E. 2563",
)

# key: (law, section, plain-language summary)
PROVISIONS = {
    "eta-7": (ETA, "มาตรา 7", "ข้อมูลอิเล็กทรอนิกส์มีผลทางกฎหมายเช่นเดียวกับกระดาษ"),
    "eta-8": (ETA, "มาตรา 8", "ข้อมูลอิเล็กทรอนิกส์ถือว่าเป็นหนังสือหรือลายลักษณ์อักษรได้"),
    "eta-9": (ETA, "มาตรา 9", "ลายมือชื่ออิเล็กทรอนิกส์ใช้แทนการลงลายมือชื่อบนกระดาษได้"),
    "eta-26": (ETA, "มาตรา 26", "ลายมือชื่ออิเล็กทรอนิกส์ที่เชื่อถือได้มีน้ำหนักเป็นพยานหลักฐานสูง"),
    "eta-2562": (ETA_2562, "", "รองรับการพิสูจน์และยืนยันตัวตนทางดิจิทัลผ่านระบบที่เชื่อถือได้"),
    "dga-4": (DGA, "มาตรา 4", "นิยามข้อมูลเปิดภาครัฐที่ประชาชนเข้าถึงและนำไปใช้ได้อย่างเสรี"),
    "dga-11": (DGA, "มาตรา 11", "หน่วยงานต้องเชื่อมโยงข้อมูลกัน ไม่ให้ประชาชนกรอกข้อมูลซ้ำ"),
    "dga-12-4": (DGA, "มาตรา 12 (4)", "หน่วยงานจัดให้มีการพิสูจน์และยืนยันตัวตนทางดิจิทัล"),
    "dga-12-5": (DGA, "มาตรา 12 (5)", "หน่วยงานจัดให้มีระบบรักษาความมั่นคงปลอดภัยไซเบอร์"),
    "dga-12-last": (
        DGA,
        "มาตรา 12 วรรคท้าย",
        "ห้ามเรียกสำเนาเอกสารที่หน่วยงานของรัฐออกให้เอง เช่น สำเนาบัตรประชาชนและทะเบียนบ้าน",
    ),
    "dga-17-18": (DGA, "มาตรา 17-18", "หน่วยงานเปิดเผยข้อมูลในรูปแบบดิจิทัลเป็นข้อมูลเปิด"),
    "ega-7": (EGA, "มาตรา 7", "หน่วยงานปฏิเสธคำขอหรือการชำระเงินทางอิเล็กทรอนิกส์ไม่ได้"),
    "ega-8-9": (EGA, "มาตรา 8-9", "ตรวจสอบตัวตนผู้ยื่นคำขอทางอิเล็กทรอนิกส์ได้"),
    "ega-12": (EGA, "มาตรา 12", "ใช้ข้อมูลที่หน่วยงานมีอยู่แล้วแทนการเรียกเอกสารจากประชาชน"),
    "ega-15-17": (EGA, "มาตรา 15-17", "คำสั่งและเอกสารภายในภาครัฐทำเป็นอิเล็กทรอนิกส์ได้"),
    "csa": (CSA, "", "กรอบการรักษาความมั่นคงปลอดภัยไซเบอร์ของหน่วยงาน"),
    "pdpa-37": (PDPA, "มาตรา 37", "ผู้ควบคุมข้อมูลต้องมีมาตรการรักษาความมั่นคงปลอดภัยที่เหมาะสม"),
    "correspondence-4": (CORRESPONDENCE, "", "ใช้ไปรษณีย์อิเล็กทรอนิกส์เป็นหนังสือราชการได้"),
    "e-meeting": (E_MEETING, "", "การประชุมผ่านสื่ออิเล็กทรอนิกส์มีผลตามกฎหมาย"),
}

# slug, name (th), name (en), description, provision keys
TOOL_TOPICS = [
    (
        "digital-id",
        "การพิสูจน์และยืนยันตัวตนทางดิจิทัล",
        "Digital ID",
        "เข้าสู่ระบบบริการภาครัฐด้วย ThaID แทนการมาแสดงตัวที่สำนักงาน",
        ["dga-12-4", "ega-8-9", "eta-2562"],
    ),
    (
        "open-data",
        "ข้อมูลเปิดภาครัฐ",
        "Open Data",
        "เผยแพร่บัญชีข้อมูลของหน่วยงานบน data.go.th (CKAN)",
        ["dga-4", "dga-17-18"],
    ),
    (
        "one-time-data-entry",
        "กรอกข้อมูลครั้งเดียว",
        "One Time Data Entry",
        "เลิกเรียกสำเนาบัตรประชาชนและทะเบียนบ้านจากประชาชน",
        ["dga-11", "dga-12-last", "ega-12"],
    ),
    (
        "cyber-security",
        "ความมั่นคงปลอดภัยไซเบอร์",
        "Cyber Security",
        "เข้าสู่ระบบสองขั้นตอนสำหรับระบบบัญชีข้อมูล",
        ["dga-12-5", "csa", "pdpa-37"],
    ),
    (
        "digital-signature",
        "ลายมือชื่ออิเล็กทรอนิกส์",
        "Digital Signature",
        "ใบแสดงผลการศึกษาที่ลงลายมือชื่อดิจิทัล",
        ["eta-9", "eta-26", "ega-7"],
    ),
    (
        "digital-document",
        "เอกสารอิเล็กทรอนิกส์",
        "Digital Document",
        "ใช้อีเมลเป็นหนังสือราชการ และประชุมออนไลน์อย่างถูกกฎหมาย",
        ["eta-7", "eta-8", "ega-15-17", "correspondence-4", "e-meeting"],
    ),
]

SKILL_AREAS = [
    ("digital-literacy", "การรู้ดิจิทัล", "Digital Literacy", SkillKind.CORE),
    ("digital-governance", "การกำกับดูแลดิจิทัล", "Digital Governance", SkillKind.CORE),
    ("digital-leadership", "ภาวะผู้นำดิจิทัล", "Digital Leadership", SkillKind.CORE),
    ("digital-technology", "เทคโนโลยีดิจิทัล", "Digital Technology", SkillKind.ELECTIVE),
    ("digital-service", "การบริการดิจิทัล", "Digital Service", SkillKind.ELECTIVE),
    (
        "data-utilization",
        "การใช้และแบ่งปันข้อมูล",
        "Data Utilization & Sharing",
        SkillKind.ELECTIVE,
    ),
    ("cyber-security", "ความมั่นคงปลอดภัยไซเบอร์", "Cyber Security", SkillKind.ELECTIVE),
]

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
            ),
            (
                "ลายมือชื่อดิจิทัลที่เชื่อถือได้",
                "<p>ลายมือชื่ออิเล็กทรอนิกส์ใช้แทนการลงนามบนกระดาษได้</p>",
                ["eta-9", "eta-26"],
                CompletionRule.WATCHED_AND_PASSED,
            ),
            (
                "ใบแสดงผลการศึกษาแบบดิจิทัล",
                "<p>มหาวิทยาลัยออกใบแสดงผลการศึกษาที่ลงนามดิจิทัล ตรวจสอบได้ทันที</p>",
                ["eta-26", "ega-15-17"],
                CompletionRule.WATCHED_OR_PASSED,
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
            ),
            (
                "ยืนยันตัวตนด้วย ThaID",
                "<p>เข้าสู่ระบบบริการภาครัฐด้วย Digital ID แทนการมาแสดงตัว</p>",
                ["dga-12-4", "ega-8-9"],
                CompletionRule.PASSED,
            ),
            (
                "เชื่อมโยงข้อมูลระหว่างหน่วยงาน",
                "<p>ใช้ข้อมูลที่หน่วยงานมีอยู่แล้วแทนการเรียกเอกสารจากประชาชน</p>",
                ["ega-12"],
                CompletionRule.WATCHED_AND_PASSED,
            ),
        ],
    },
]


def _say(stdout, text: str) -> None:
    if stdout:
        stdout.write(text)


@transaction.atomic
def seed_reference_data(stdout=None) -> None:
    provisions = {}
    for key, ((law_th, law_en), section, summary) in PROVISIONS.items():
        provisions[key], _ = LegalProvision.objects.update_or_create(
            law_name_th=law_th,
            section=section,
            defaults={"law_name_en": law_en, "summary": summary},
        )
    for slug, name_th, name_en, description, keys in TOOL_TOPICS:
        topic, _ = ToolTopic.objects.update_or_create(
            slug=slug,
            defaults={"name_th": name_th, "name_en": name_en, "description": description},
        )
        topic.provisions.set([provisions[k] for k in keys])
    for slug, name_th, name_en, kind in SKILL_AREAS:
        SkillArea.objects.update_or_create(
            slug=slug, defaults={"name_th": name_th, "name_en": name_en, "kind": kind}
        )
    _say(
        stdout,
        f"  courses: {len(TOOL_TOPICS)} tool topics, {len(PROVISIONS)} provisions, "
        f"{len(SKILL_AREAS)} skill areas",
    )


def _optional_list(module_name: str, function_name: str) -> list:
    """Demo clips or quizzes from the other apps when they provide them."""
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return []
    fn = getattr(module, function_name, None)
    return list(fn() or []) if fn else []


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
    return home


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
        for n, (title, text, provision_keys, rule) in enumerate(spec["lessons"], start=1):
            i = lesson_index
            lesson_index += 1
            if LessonPage.objects.child_of(course).filter(slug=f"lesson-{n}").exists():
                continue
            quiz = quizzes[i] if i < len(quizzes) else None
            clip = clips[i] if i < len(clips) else None
            if quiz is None and rule != CompletionRule.WATCHED:
                rule = CompletionRule.WATCHED  # no quiz to pass without the quizzes demo
            if clip is None and quiz is not None:
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
            if quiz is not None:
                body.append(("quiz", quiz))
            lesson = LessonPage(
                title=title,
                slug=f"lesson-{n}",
                clip=clip,
                body=body,
                completion_rule=rule,
            )
            course.add_child(instance=lesson)
            lesson.save_revision().publish()
        if course.final_quiz_id is None and final_quiz_index < len(quizzes):
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
        area = areas.get(spec["code"])
        if area is None:
            continue
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
    areas = {}
    for code in ("A", "B"):
        agency = Agency.objects.filter(code=code).first()
        if agency is not None:
            areas[code] = agency_editing_setup(agency=agency)
    editor = get_user_model().objects.filter(username="editor_a").first()
    if editor is not None and "A" in areas:
        editor.groups.add(areas["A"].group)

    clips = _optional_list("media_pipeline.demo", "demo_clips")
    quizzes = _optional_list("quizzes.demo", "demo_quizzes")
    courses = _seed_courses(catalogue, clips, quizzes)
    stories = _seed_stories(areas, clips)
    _seed_path(home, courses)
    _say(
        stdout,
        f"  courses: home, catalogue, {len(courses)} courses, {stories} success stories, "
        f"1 learning path, {len(areas)} agency editing areas, review workflow",
    )
    return home
