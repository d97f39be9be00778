"""Issue 17: Wagtail's workflow e-mails in Thai (English for a user who chose English),
with HTML and text parts, the reviewer's comment, absolute links and never "rejected"."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from wagtail.models import TaskState, WorkflowState
from wagtail.users.models import UserProfile

from courses.services import agency_editing_setup, review_workflow_setup
from officers import demo as officers_demo
from officers.models import Agency
from tests.factories import SuccessStoryPageFactory

pytestmark = pytest.mark.django_db

COMMENT = "โปรดระบุมาตราที่อ้างอิงในย่อหน้าที่สอง"
THAI = re.compile(r"[\u0E00-\u0E7F]")


@pytest.fixture
def story(home):
    officers_demo.seed()
    review_workflow_setup()
    a = Agency.objects.get(code="A")
    area = agency_editing_setup(agency=a)
    users = get_user_model().objects
    editor = users.get(username="editor_a")
    editor.groups.add(area.group)
    draft = SuccessStoryPageFactory(
        parent=area.stories_index, agency=a, live=False, title="ร่างเรื่องเล่าของกรม ก"
    )
    return {"editor": editor, "reviewer": users.get(username="reviewer"), "page": draft}


def _submit(page, user) -> TaskState:
    page.save_revision(user=user)
    page.get_workflow().start(page, user)
    state = WorkflowState.objects.get(object_id=str(page.pk))
    return state.current_task_state


def _review(client, story, action):
    task_state = _submit(story["page"], story["editor"])
    mail.outbox.clear()
    client.force_login(story["reviewer"])
    url = reverse(
        "wagtailadmin_pages:workflow_action", args=[story["page"].pk, action, task_state.pk]
    )
    response = client.post(url, {"comment": COMMENT})
    assert response.status_code in (200, 302)
    to_editor = [m for m in mail.outbox if story["editor"].email in m.to]
    assert len(to_editor) == 1
    return to_editor[0]


def _parts(message):
    assert message.alternatives, "no HTML part"
    html, mime = message.alternatives[0]
    assert mime == "text/html"
    return message.subject, message.body, html


def test_request_changes_mail_is_thai_with_both_parts_and_the_comment(client, story):
    subject, text, html = _parts(_review(client, story, "reject"))
    assert subject.startswith("ขอให้แก้ไข:") and "ร่างเรื่องเล่าของกรม ก" in subject
    assert "ขอให้แก้ไข" in text and "ขอให้แก้ไข" in html
    assert COMMENT in text and COMMENT in html
    edit = settings.WAGTAILADMIN_BASE_URL + reverse(
        "wagtailadmin_pages:edit", args=[story["page"].pk]
    )
    assert edit.startswith("http") and edit in text and f'href="{edit}"' in html
    for part in (subject, text, html):
        assert "reject" not in part.lower() and "ปฏิเสธ" not in part
        assert "Hello" not in part and "The page" not in part
    assert '<html lang="th"' in html


def test_approval_mail_carries_the_reviewers_comment(client, story):
    subject, text, html = _parts(_review(client, story, "approve"))
    assert subject.startswith("อนุมัติแล้ว:")
    assert COMMENT in text and COMMENT in html


def test_reviewers_get_the_submission_in_thai(story):
    _submit(story["page"], story["editor"])
    to_reviewer = [m for m in mail.outbox if story["reviewer"].email in m.to]
    assert to_reviewer, "the reviewer got no mail"
    subject, text, html = _parts(to_reviewer[0])
    assert THAI.search(subject) and "รอการตรวจ" in text + subject
    assert "has been submitted" not in text and "awaiting" not in text.lower()


def test_an_editor_who_chose_english_gets_english(client, story):
    profile = UserProfile.get_for_user(story["editor"])
    profile.preferred_language = "en"
    profile.save()
    subject, text, html = _parts(_review(client, story, "reject"))
    assert subject.startswith("Changes requested:")
    assert "requested changes" in text and "The reviewer's comment" in html
    assert COMMENT in text  # the reviewer's own words stay as written
    assert "reject" not in (subject + text + html).lower()
    # Thai content (site, workflow and page names) stays; the interface text is English.
    assert "ผู้ตรวจขอให้แก้ไข" not in html and "เรียน คุณ" not in text + html
