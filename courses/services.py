"""Writes of the courses app: course totals, agency editing areas and the review workflow."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.translation import gettext
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from officers import roles
from officers.models import Agency

from .models import (
    AgencyCourseFolderPage,
    CourseIndexPage,
    CoursePage,
    HomePage,
    LessonPage,
    SuccessStoryIndexPage,
)
from .models.pages import course_minutes

# Names of rows (a Wagtail workflow, task and groups) that administrators see as data, in
# Thai; the older "Thai / English" twin names are renamed in place by the set-up below.
REVIEW_WORKFLOW_NAME = "ตรวจอนุมัติเนื้อหา"
REVIEW_TASK_NAME = "ตรวจอนุมัติโดยส่วนกลาง"
LEGACY_NAMES = {
    REVIEW_WORKFLOW_NAME: "ตรวจอนุมัติเนื้อหา / Content review",
    REVIEW_TASK_NAME: "ตรวจอนุมัติโดยส่วนกลาง / Central review",
}
EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page")
REVIEWER_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")
# wagtailmedia checks its permissions against the "wagtailmedia.Media" auth model even
# with a custom media model (media_pipeline.VideoAsset); it has no "choose" permission:
# its chooser lists what the user may change, i.e. what the collection grants.
MEDIA_COLLECTION_PERMISSIONS = (
    ("wagtailmedia", "add_media"),
    ("wagtailmedia", "change_media"),
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
)
SNIPPET_MODELS = ("tooltopic", "legalprovision", "skillarea")


@dataclass
class AgencyEditing:
    agency: Agency
    group: Group
    collection: Collection
    stories_index: SuccessStoryIndexPage
    course_folder: AgencyCourseFolderPage


def editors_group_name(agency: Agency) -> str:
    return f"บรรณาธิการ {agency.code}"


def _rename_legacy(model, name: str, legacy: str) -> None:
    """Rename a row set up under its older twin name, unless the new name exists."""
    if not model.objects.filter(name=name).exists():
        model.objects.filter(name=legacy).update(name=name)


def _permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _publish(page: Page) -> None:
    page.save_revision().publish()


@transaction.atomic
def course_refresh_totals(*, course: CoursePage) -> CoursePage:
    """Store the course's live lesson count and length (used by catalogue filters and the
    course cards): each lesson's ready clip, else its estimated minutes."""
    lessons = LessonPage.objects.child_of(course).live()
    minutes, count = course_minutes(lessons), lessons.count()
    CoursePage.objects.filter(pk=course.pk).update(duration_minutes=minutes, lesson_count=count)
    course.duration_minutes, course.lesson_count = minutes, count
    return course


def site_structure_ensure() -> tuple[HomePage, CourseIndexPage, SuccessStoryIndexPage]:
    """The catalogue (/courses/) and the success-story index under the home page."""
    home = HomePage.objects.first()
    if home is None:
        raise ValueError(gettext("ยังไม่มีหน้าแรก"))
    catalogue = CourseIndexPage.objects.child_of(home).filter(slug="courses").first()
    if catalogue is None:
        catalogue = CourseIndexPage(
            title="หลักสูตรทั้งหมด",
            slug="courses",
            intro="<p>คลิปสั้น 1-10 นาทีต่อบทเรียน พร้อมแบบทดสอบและฐานทางกฎหมาย</p>",
        )
        home.add_child(instance=catalogue)
        _publish(catalogue)
    stories = SuccessStoryIndexPage.objects.child_of(home).filter(slug="success-stories").first()
    if stories is None:
        stories = SuccessStoryIndexPage(
            title="เรื่องเล่าความสำเร็จ",
            slug="success-stories",
            intro="<p>หน่วยงานที่ใช้เครื่องมือดิจิทัลได้สำเร็จโดยไม่ต้องแก้กฎหมาย</p>",
        )
        home.add_child(instance=stories)
        _publish(stories)
    return home, catalogue, stories


@transaction.atomic
def agency_editing_setup(*, agency: Agency) -> AgencyEditing:
    """Give an agency its own story subtree, course-drafting area, media collection and
    editors group whose Wagtail permissions cover only those (idempotent)."""
    _home, catalogue, stories = site_structure_ensure()
    slug = f"agency-{agency.code.lower()}"
    stories_index = SuccessStoryIndexPage.objects.filter(agency=agency).first()
    if stories_index is None:
        stories_index = SuccessStoryIndexPage(
            title=f"เรื่องเล่าความสำเร็จ: {agency.name}", slug=slug, agency=agency
        )
        stories.add_child(instance=stories_index)
        _publish(stories_index)
    folder = AgencyCourseFolderPage.objects.filter(agency=agency).first()
    if folder is None:
        folder = AgencyCourseFolderPage(title=f"หลักสูตรของ {agency.name}", slug=slug, agency=agency)
        catalogue.add_child(instance=folder)
        _publish(folder)

    collection_name = f"{agency.name} ({agency.code})"
    root = Collection.get_first_root_node()
    collection = root.get_children().filter(name=collection_name).first()
    if collection is None:
        collection = root.add_child(name=collection_name)

    _rename_legacy(
        Group, editors_group_name(agency), f"บรรณาธิการ {agency.code} / editors {agency.code}"
    )
    group, _ = Group.objects.get_or_create(name=editors_group_name(agency))
    group.permissions.add(_permission("wagtailadmin", "access_admin"))
    for page in (stories_index, folder):
        for codename in EDITOR_PAGE_PERMISSIONS:
            GroupPagePermission.objects.get_or_create(
                group=group, page=page, permission=_permission("wagtailcore", codename)
            )
    for app_label, codename in MEDIA_COLLECTION_PERMISSIONS:
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=collection, permission=_permission(app_label, codename)
        )
    return AgencyEditing(agency, group, collection, stories_index, folder)


@transaction.atomic
def review_workflow_setup() -> Workflow:
    """Agency editors submit; the central_reviewer group approves or rejects with a comment.

    Reviewers may also edit and publish anywhere, manage the reference snippets and use
    every media collection."""
    home, _catalogue, _stories = site_structure_ensure()
    reviewers, _ = Group.objects.get_or_create(name=roles.CENTRAL_REVIEWER)
    reviewers.permissions.add(_permission("wagtailadmin", "access_admin"))
    for model in SNIPPET_MODELS:
        for action in ("add", "change", "delete", "view"):
            reviewers.permissions.add(_permission("reference", f"{action}_{model}"))
    for codename in REVIEWER_PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=reviewers, page=home, permission=_permission("wagtailcore", codename)
        )
    root = Collection.get_first_root_node()
    for app_label, codename in MEDIA_COLLECTION_PERMISSIONS:
        GroupCollectionPermission.objects.get_or_create(
            group=reviewers, collection=root, permission=_permission(app_label, codename)
        )
    _rename_legacy(GroupApprovalTask, REVIEW_TASK_NAME, LEGACY_NAMES[REVIEW_TASK_NAME])
    _rename_legacy(Workflow, REVIEW_WORKFLOW_NAME, LEGACY_NAMES[REVIEW_WORKFLOW_NAME])
    task = GroupApprovalTask.objects.filter(name=REVIEW_TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=REVIEW_TASK_NAME)
    task.groups.set([reviewers])
    workflow, _ = Workflow.objects.get_or_create(name=REVIEW_WORKFLOW_NAME)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=home, defaults={"workflow": workflow})
    return workflow
