"""Agency-scoped editing with Wagtail permissions, and the central review workflow.

editor_a (agency A) edits only A's success-story subtree, A's course drafts and A's media
collection; the central_reviewer group approves or rejects with a comment."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, TaskState, WorkflowState
from wagtail.permissions import policy_registry
from wagtailmedia.permissions import permission_policy as media_policy

from courses.models import (
    AgencyCourseFolderPage,
    SuccessStoryIndexPage,
)
from courses.services import agency_editing_setup, editors_group_name, review_workflow_setup
from officers import demo as officers_demo
from officers.models import Agency
from tests.factories import CoursePageFactory, SuccessStoryPageFactory, VideoAssetFactory

pytestmark = pytest.mark.django_db


def chooser_html(response) -> str:
    assert response.status_code == 200
    if response["Content-Type"].startswith("application/json"):
        return response.json()["html"]
    return response.content.decode()


@pytest.fixture
def site(home):
    """Agencies, demo accounts, both agencies' editing areas, one live story each."""
    officers_demo.seed()
    review_workflow_setup()
    users = get_user_model().objects
    a, b = Agency.objects.get(code="A"), Agency.objects.get(code="B")
    area_a, area_b = agency_editing_setup(agency=a), agency_editing_setup(agency=b)
    editor = users.get(username="editor_a")
    editor.groups.add(area_a.group)
    return {
        "editor": editor,
        "reviewer": users.get(username="reviewer"),
        "a": area_a,
        "b": area_b,
        "story_a": SuccessStoryPageFactory(
            parent=area_a.stories_index, agency=a, title="เรื่องเล่าของกรม ก"
        ),
        "story_b": SuccessStoryPageFactory(
            parent=area_b.stories_index, agency=b, title="เรื่องเล่าของจังหวัด ข"
        ),
    }


def test_setup_is_idempotent(site):
    a = site["a"]
    again = agency_editing_setup(agency=a.agency)
    assert (again.group, again.collection) == (a.group, a.collection)
    assert again.group.name == editors_group_name(a.agency) == "บรรณาธิการ A"
    assert SuccessStoryIndexPage.objects.filter(agency=a.agency).count() == 1
    assert AgencyCourseFolderPage.objects.filter(agency=a.agency).count() == 1


def test_permission_policy_limits_editor_a_to_agency_a(site):
    editor = site["editor"]
    story_a, story_b = site["story_a"], site["story_b"]
    assert story_a.permissions_for_user(editor).can_edit()
    assert not story_b.permissions_for_user(editor).can_edit()
    # Agency editors never publish themselves: they submit to the workflow.
    assert not story_a.permissions_for_user(editor).can_publish()
    assert not story_b.permissions_for_user(editor).can_publish()
    assert site["a"].course_folder.permissions_for_user(editor).can_add_subpage()
    assert not site["b"].course_folder.permissions_for_user(editor).can_add_subpage()
    assert not site["b"].stories_index.permissions_for_user(editor).can_add_subpage()
    # Nothing outside the agency's areas (the central catalogue's courses).
    central_course = CoursePageFactory(parent=site["a"].course_folder.get_parent())
    assert not central_course.permissions_for_user(editor).can_edit()


def test_admin_edit_and_add_views_refuse_agency_b(client, site):
    client.force_login(site["editor"])
    own = client.get(reverse("wagtailadmin_pages:edit", args=[site["story_a"].pk]))
    assert own.status_code == 200
    other = client.get(reverse("wagtailadmin_pages:edit", args=[site["story_b"].pk]))
    assert other.status_code in (302, 403)
    add_other = client.get(
        reverse(
            "wagtailadmin_pages:add",
            args=["courses", "successstorypage", site["b"].stories_index.pk],
        )
    )
    assert add_other.status_code in (302, 403)
    add_own = client.get(
        reverse(
            "wagtailadmin_pages:add",
            args=["courses", "successstorypage", site["a"].stories_index.pk],
        )
    )
    assert add_own.status_code == 200


def test_editor_cannot_publish_agency_b_page_over_http(client, site):
    story_b = site["story_b"]
    client.force_login(site["editor"])
    before = story_b.latest_revision_id
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[story_b.pk]),
        {"title": "แก้โดยหน่วยงานอื่น", "slug": story_b.slug, "action-publish": "1"},
    )
    assert response.status_code in (302, 403)
    story_b.refresh_from_db()
    assert story_b.title != "แก้โดยหน่วยงานอื่น" and story_b.latest_revision_id == before


def test_page_chooser_hides_agency_b_areas(client, site):
    client.force_login(site["editor"])
    title_b = site["story_b"].title
    search = client.get(reverse("wagtailadmin_choose_page_search"), {"q": title_b})
    assert title_b not in chooser_html(search)
    browse = client.get(
        reverse("wagtailadmin_choose_page_child", args=[site["b"].stories_index.get_parent().pk])
    )
    html = chooser_html(browse)
    assert site["a"].stories_index.title in html
    assert site["b"].stories_index.title not in html
    # A central reviewer sees both.
    client.force_login(site["reviewer"])
    assert title_b in chooser_html(
        client.get(reverse("wagtailadmin_choose_page_search"), {"q": title_b})
    )


def test_media_collections_limit_editor_a(client, site):
    editor = site["editor"]
    clip_a = VideoAssetFactory(title="คลิปของกรม ก", collection=site["a"].collection)
    clip_b = VideoAssetFactory(title="คลิปของจังหวัด ข", collection=site["b"].collection)
    assert media_policy.user_has_permission_for_instance(editor, "change", clip_a)
    assert not media_policy.user_has_permission_for_instance(editor, "change", clip_b)
    assert list(media_policy.collections_user_has_permission_for(editor, "add")) == [
        site["a"].collection
    ]
    image_policy = policy_registry.get_by_type(get_image_model())
    document_policy = policy_registry.get_by_type(get_document_model())
    assert image_policy.collections_user_has_permission_for(editor, "choose").get() == (
        site["a"].collection
    )
    Document = get_document_model()
    doc_b = Document.objects.create(title="แบบฟอร์ม ข", collection=site["b"].collection)
    assert not document_policy.user_has_permission_for_instance(editor, "choose", doc_b)

    client.force_login(editor)
    chooser = chooser_html(client.get(reverse("wagtailmedia:chooser")))
    assert clip_a.title in chooser and clip_b.title not in chooser
    assert client.get(reverse("wagtailmedia:edit", args=[clip_a.pk])).status_code == 200
    assert client.get(reverse("wagtailmedia:edit", args=[clip_b.pk])).status_code in (302, 403)


def test_editor_deletes_own_agencys_clip_not_another_agencys(client, site):
    """The agency editors' group (as set up for the demo and production) deletes its own
    agency's clips through wagtailmedia's delete view (Wagtail's collection ownership
    policy: change on the collection lets one delete); B's clip stays whatever is posted."""
    from media_pipeline.models import VideoAsset

    clip_a = VideoAssetFactory(title="คลิปของกรม ก", collection=site["a"].collection)
    clip_b = VideoAssetFactory(title="คลิปของจังหวัด ข", collection=site["b"].collection)
    assert media_policy.user_has_permission_for_instance(site["editor"], "delete", clip_a)
    assert not media_policy.user_has_permission_for_instance(site["editor"], "delete", clip_b)
    client.force_login(site["editor"])
    page = client.get(reverse("wagtailmedia:delete", args=[clip_a.pk]))
    assert page.status_code == 200 and clip_a.title in page.content.decode()
    assert client.post(reverse("wagtailmedia:delete", args=[clip_b.pk])).status_code in (302, 403)
    assert client.post(reverse("wagtailmedia:delete", args=[clip_a.pk])).status_code == 302
    assert not VideoAsset.objects.filter(pk=clip_a.pk).exists()
    assert VideoAsset.objects.filter(pk=clip_b.pk).exists()


def _submit(page, user) -> TaskState:
    revision = page.save_revision(user=user)
    workflow = page.get_workflow()
    assert workflow is not None
    workflow.start(page, user)
    state = WorkflowState.objects.get(base_content_type__isnull=False, object_id=str(page.pk))
    assert revision.pk
    return state.current_task_state


def test_reviewer_approves_with_a_comment_and_the_page_goes_live(client, site):
    editor, reviewer = site["editor"], site["reviewer"]
    draft = SuccessStoryPageFactory(
        parent=site["a"].stories_index, agency=site["a"].agency, live=False, title="ร่างของ ก"
    )
    task_state = _submit(draft, editor)

    # The editor who submitted cannot approve their own work.
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:workflow_action", args=[draft.pk, "approve", task_state.pk])
    client.post(url, {"comment": "อนุมัติเอง"})
    assert not Page.objects.get(pk=draft.pk).live

    client.force_login(reviewer)
    response = client.post(url, {"comment": "ถูกต้องตามกฎหมาย เผยแพร่ได้"})
    assert response.status_code in (200, 302)
    assert Page.objects.get(pk=draft.pk).live
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_APPROVED
    assert task_state.get_comment() == "ถูกต้องตามกฎหมาย เผยแพร่ได้"


def test_reviewer_rejects_with_a_comment(client, site):
    draft = CoursePageFactory(parent=site["a"].course_folder, live=False, title="หลักสูตรร่าง ก")
    task_state = _submit(draft, site["editor"])
    client.force_login(site["reviewer"])
    url = reverse("wagtailadmin_pages:workflow_action", args=[draft.pk, "reject", task_state.pk])
    client.post(url, {"comment": "โปรดระบุมาตราที่อ้างอิง"})
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_REJECTED
    assert task_state.get_comment() == "โปรดระบุมาตราที่อ้างอิง"
    assert not Page.objects.get(pk=draft.pk).live


def test_a_story_form_refuses_another_agencys_clip_even_when_posted_directly(site):
    """The chooser hides agency B's clips from editor_a; the page form refuses them too."""
    clip_a = VideoAssetFactory(title="คลิปของกรม ก", collection=site["a"].collection)
    clip_b = VideoAssetFactory(title="คลิปของจังหวัด ข", collection=site["b"].collection)
    story = site["story_a"]
    form_class = type(story).get_edit_handler().get_form_class()

    def clip_errors(user, clip):
        from django.core.exceptions import ValidationError

        form = form_class(instance=story, for_user=user, parent_page=story.get_parent())
        form.cleaned_data = {"clip": clip}  # the clip field as a crafted POST would set it
        try:
            assert form.clean_clip() == clip
        except ValidationError as exc:
            return exc.messages
        return []

    assert clip_errors(site["editor"], clip_b) == ["คลิปนี้อยู่นอกคอลเลกชันของท่าน"]
    assert clip_errors(site["editor"], clip_a) == []
    assert clip_errors(site["reviewer"], clip_b) == []  # central staff may use any clip


def test_a_course_form_refuses_another_agencys_quiz_even_when_posted_directly(site):
    """editor_a may place agency A's or central quizzes, never agency B's (server-side)."""
    from quizzes.models import Quiz

    quiz_a = Quiz.objects.create(title="แบบทดสอบของกรม ก", agency=site["a"].agency)
    quiz_b = Quiz.objects.create(title="แบบทดสอบของจังหวัด ข", agency=site["b"].agency)
    central = Quiz.objects.create(title="แบบทดสอบส่วนกลาง")
    course = CoursePageFactory(parent=site["a"].course_folder, title="หลักสูตรของกรม ก")
    form_class = type(course).get_edit_handler().get_form_class()

    def quiz_errors(user, quiz):
        from django.core.exceptions import ValidationError

        form = form_class(instance=course, for_user=user, parent_page=course.get_parent())
        form.cleaned_data = {"title": course.title, "slug": course.slug, "final_quiz": quiz}
        try:
            form.clean()
        except ValidationError as exc:
            return exc.messages
        return []

    refused = ["แบบทดสอบนี้เป็นของหน่วยงานอื่น"]
    assert quiz_errors(site["editor"], quiz_b) == refused
    assert quiz_errors(site["editor"], quiz_a) == []
    assert quiz_errors(site["editor"], central) == []
    assert quiz_errors(site["reviewer"], quiz_b) == []  # central staff may use any quiz
    course.final_quiz = quiz_b  # placed earlier by central staff: the editor may keep it
    course.save()
    assert quiz_errors(site["editor"], quiz_b) == []
