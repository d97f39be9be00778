"""The Wagtail admin reads as Thai for Thai editors, reviewers and HR (issue 17).

Signed in (force_login) as the demo editor of agency A, the central reviewer and HR of
agency A, a Thai browser walks the admin pages each of them meets: dashboard, the
agency's course folder, a course's edit view with its status panel, its history and
workflow history, the course in moderation as the reviewer sees it, media listing and
upload form, a clip's pipeline page, the clip delete confirmation, snippet listings, the
reports and the account page.

On every page the visible text (``innerText``) and the interface labels (aria-label,
title, placeholder, alt, the text of every button, menu item and option, shown or in a
closed menu) must hold no English word (ASCII letters, three or more) outside ALLOWED and
the content of the page (titles, usernames, e-mail addresses, file names, codes), and no
comma-joined alternatives ("ไฟล์,แฟ้ม") or non-standard spellings from Wagtail's Thai
catalogue. Screenshots: ``artifacts/screenshots/admin17-<page>-1366.png`` and, for a
few pages, ``-390.png`` (where the page must not scroll sideways).
"""

from __future__ import annotations

import re
import zoneinfo

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from wagtail.models import Collection, Page, WorkflowState

from courses.models import AgencyCourseFolderPage, CoursePage, SuccessStoryPage
from media_pipeline.models import VideoAsset
from officers.models import Agency
from reference.models import LegalProvision, SkillArea, ToolTopic
from tests.browser import LAUNCH_ARGS, SHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COURSE_TITLE = "หลักสูตรร่างของกรม ก: ลดการกรอกข้อมูลซ้ำ"

# English that may stay on a Thai screen, each for a reason.
ALLOWED = {
    "wagtail",  # the product's name (logo, "มีอะไรใหม่ใน Wagtail")
    "hls",  # streaming format names, as the pipeline page shows them
    "mp4",
    "vmaf",  # the quality metric's name
    "csv",  # file formats offered for export
    "xlsx",
    "url",  # the field is called URL in Thai government web writing too
    "english",  # the language chooser names each language in itself
    "gmt",  # time zones: offsets as GMT+7, and the IANA zone names (ZONES below)
    "utc",
    "crf",  # encoder settings the pipeline page reports (CRF 23 · VMAF 95)
    # containers the upload form accepts, by their format names
    *("mov", "mkv", "webm", "avi", "mpeg", "flv", "mxf", "wmv", "asf"),
    "cio",  # the role is called ผู้บริหาร CIO in Thai government usage
    "thaid",  # the national digital ID app's name
    # DGA's digital government roadmap names its three phases in English in Thai texts
    *("digitalization", "integration", "transformation"),
}
# English words of two letters that are never a code ("1-1 of 1", "by editor_a").
SHORT = {"of", "by", "at", "to", "in", "on", "or", "is", "no"}
# Time zone names of the account page's chooser are IANA identifiers (codes).
ZONES = {zone.lower() for zone in zoneinfo.available_timezones()} | {"localtime"}
# Wagtail's Thai catalogue (and older overrides) writes these; the Royal Institute
# spells them otherwise (อัปเดต, อัปโหลด, เว็บไซต์, ล็อก, คลิก), or they are slang (เซฟ).
MISSPELT = ("อัพ", "อัปเดท", "เว็บไซด์", "ล็อค", "คลิ๊ก", "เซฟ", "คุฯ")
COMMA_JOINED = re.compile(r"[\u0E00-\u0E7F],\s?[\u0E00-\u0E7F]")

COLLECT = """() => {
  const out = [document.title, document.body.innerText];
  const own = (el) => !el.closest('[lang]:not([lang^="th"])');
  // A button's text without its hidden parts (an empty counter the script fills in).
  const shown = (el) => {
    const copy = el.cloneNode(true);
    copy.querySelectorAll('[hidden]').forEach((part) => part.remove());
    return copy.textContent;
  };
  for (const el of document.querySelectorAll('[aria-label],[title],[placeholder],[alt]')) {
    if (!own(el) || el.closest('svg')) continue;
    for (const a of ['aria-label', 'title', 'placeholder', 'alt']) {
      const v = el.getAttribute(a);
      if (v) out.push(v);
    }
  }
  const labelled = 'button, [role=button], [role=menuitem], a.button, option, '
    + 'input[type=submit], input[type=button], label, th, legend';
  for (const el of document.querySelectorAll(labelled)) {
    // The date picker's apply button: Wagtail never turns it on (showApplyButton).
    if (!own(el) || el.matches('.xdsoft_save_selected')) continue;
    out.push(shown(el));
    if (el.tagName === 'INPUT') out.push(el.value);
  }
  return out.join('\\n');
}"""
FITS = "() => document.documentElement.scrollWidth <= window.innerWidth + 1"
CODE = re.compile(r"[A-Za-z0-9][\w.\-/+:@]*[\w]")


def _session_for(username: str) -> str:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def content_words() -> set[str]:
    """Text that editors, HR files and the seed wrote (titles, names, usernames, codes):
    it keeps its own language and is not interface text."""
    words: set[str] = set()

    def add(*values):
        for value in values:
            words.update(w.lower() for w in re.findall(r"[A-Za-z]{2,}", str(value or "")))

    for page in Page.objects.all():
        add(page.title)
    for asset in VideoAsset.objects.all():
        add(asset.title)
    for user in get_user_model().objects.all():
        add(user.username, user.email, user.first_name, user.last_name)
    for agency in Agency.objects.all():
        add(agency.code, agency.name)
    for collection in Collection.objects.all():
        add(collection.name)
    for model in (LegalProvision, ToolTopic, SkillArea):  # reference snippets (name_en)
        fields = [
            f.name for f in model._meta.concrete_fields if f.get_internal_type() == "CharField"
        ]
        for row in model.objects.values_list(*fields):
            add(*row)
    return words


def english_words(line: str, content: set[str]) -> set[str]:
    line = re.sub(r"\S+@\S+", " ", line)  # e-mail addresses
    line = re.sub(r"https?://\S*|(?<!\S)/\S*", " ", line)  # addresses and paths
    found = set()
    for token in CODE.findall(line):
        if re.search(r"[\d_/]", token) or re.search(r"\.[a-z0-9]{2,4}$", token):
            continue  # codes (error codes, AV1, H.264, Asia/Bangkok) and file names
        if token.lower() in ZONES:
            continue
        for word in re.findall(r"[A-Za-z]{2,}", token):
            if len(word) == 2 and word.lower() not in SHORT:
                continue
            if word.lower() not in ALLOWED and word.lower() not in content:
                found.add(word)
    return found


def english_lines(text: str, content: set[str]) -> set[str]:
    """The lines of the page's text that hold an English word (what the report shows)."""
    lines = {" ".join(line.split()) for line in text.splitlines()}
    return {line[:160] for line in lines if english_words(line, content)}


def thai_problems(text: str) -> set[str]:
    found = {m.group(0) for m in COMMA_JOINED.finditer(text)}
    found.update(word for word in MISSPELT if word in text)
    return found


def _moderated_course(editor) -> CoursePage:
    """Agency A's editor copies a catalogue course into the agency's folder and submits
    it to the review workflow: the course folder lists it and it waits for the reviewer."""
    folder = AgencyCourseFolderPage.objects.get(agency__code="A")
    source = CoursePage.objects.live().order_by("path").first()
    course = source.copy(
        to=folder,
        update_attrs={"title": COURSE_TITLE, "slug": "draft-course-agency-a"},
        keep_live=False,
        user=editor,
    ).specific
    course.save_revision(user=editor, log_action=True)
    course.get_workflow().start(course, editor)
    return course


def test_the_admin_reads_as_thai_for_editor_reviewer_and_hr(
    demo, live_server, chromium_path, monkeypatch
):
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    users = get_user_model().objects
    editor = users.get(username="editor_a")
    course = _moderated_course(editor)
    state = WorkflowState.objects.get(object_id=str(course.pk))
    folder = course.get_parent()
    story = SuccessStoryPage.objects.filter(agency__code="A").first()
    Page.objects.filter(pk=story.pk).update(locked=True, locked_by=editor, locked_at=timezone.now())
    clip = VideoAsset.objects.filter(status="ready").order_by("pk").first()
    collection_a = Collection.objects.get(name__endswith="(A)")
    VideoAsset.objects.filter(pk=clip.pk).update(collection=collection_a)
    reports = [
        ("locked", "/admin/reports/locked/"),
        ("aging", "/admin/reports/aging-pages/"),
        ("site-history", "/admin/reports/site-history/"),
    ]
    walks = {
        "editor_a": [
            ("editor-dashboard", "/admin/"),
            ("editor-folder", f"/admin/pages/{folder.pk}/"),
            ("editor-edit", f"/admin/pages/{course.pk}/edit/"),
            ("editor-history", f"/admin/pages/{course.pk}/history/"),
            ("editor-workflow-history", f"/admin/pages/{course.pk}/workflow_history/"),
            ("editor-media", "/admin/media/"),
            ("editor-upload", "/admin/media/video/add/"),
            ("editor-clip-status", f"/admin/video-pipeline/{clip.pk}/"),
            ("editor-pipeline", "/admin/video-pipeline/"),
            ("editor-media-delete", f"/admin/media/delete/{clip.pk}/"),
            # Locked pages need the lock permission, which editors do not have.
            *[(f"editor-report-{name}", url) for name, url in reports[1:]],
            ("editor-account", "/admin/account/"),
        ],
        "reviewer": [
            ("reviewer-dashboard", "/admin/"),
            ("reviewer-moderation", f"/admin/pages/{course.pk}/edit/"),
            (
                "reviewer-workflow-detail",
                f"/admin/pages/{course.pk}/workflow_history/detail/{state.pk}/",
            ),
            ("reviewer-snippet-laws", "/admin/snippets/reference/legalprovision/"),
            ("reviewer-snippet-topics", "/admin/snippets/reference/tooltopic/"),
            ("reviewer-media", "/admin/media/"),
            *[(f"reviewer-report-{name}", url) for name, url in reports],
            ("reviewer-account", "/admin/account/"),
        ],
        "hr_a": [  # HR's own pages are under /hr/; in the admin HR has these two
            ("hr-dashboard", "/admin/"),
            ("hr-account", "/admin/account/"),
        ],
    }
    phone = {"editor-dashboard", "editor-folder", "editor-media", "editor-clip-status",
             "reviewer-moderation", "hr-account"}  # fmt: skip
    content = content_words()
    english: dict[str, set[str]] = {}
    thai: dict[str, set[str]] = {}
    overflow: list[str] = []
    SHOTS.mkdir(parents=True, exist_ok=True)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
        try:
            for username, walk in walks.items():
                context = browser.new_context(
                    viewport={"width": 1366, "height": 900}, locale="th-TH"
                )
                context.add_cookies(
                    [
                        {
                            "name": settings.SESSION_COOKIE_NAME,
                            "value": _session_for(username),
                            "url": live_server.url,
                        }
                    ]
                )
                page = context.new_page()
                for name, path in walk:
                    response = page.goto(live_server.url + path)
                    assert response.status == 200, (name, path, response.status)
                    assert page.url == live_server.url + path, (name, page.url)  # not sent away
                    page.wait_for_load_state("networkidle")
                    if name.endswith(("-edit", "-moderation")):
                        # The status side panel: workflow task state, "current page status".
                        page.click("[data-side-panel-toggle='status']")
                        page.wait_for_selector("[data-side-panel='status']:not([hidden])")
                    text = page.evaluate(COLLECT)
                    if lines := english_lines(text, content):
                        english[name] = lines
                    if problems := thai_problems(text):
                        thai[name] = problems
                    page.screenshot(path=str(SHOTS / f"admin17-{name}-1366.png"), full_page=True)
                    if name in phone:
                        page.set_viewport_size({"width": 390, "height": 844})
                        page.goto(live_server.url + path)
                        page.wait_for_load_state("networkidle")
                        page.screenshot(path=str(SHOTS / f"admin17-{name}-390.png"), full_page=True)
                        if not page.evaluate(FITS):
                            overflow.append(name)
                        page.set_viewport_size({"width": 1366, "height": 900})
                context.close()
        finally:
            browser.close()

    every = sorted({line for lines in english.values() for line in lines})
    assert not english, "English on Thai admin pages:\n" + "\n".join(every) + f"\n{english}"
    assert not thai, f"comma-joined or misspelt Thai: {thai}"
    assert not overflow, f"pages that scroll sideways at 390 px: {overflow}"
