"""Content: reference data, clips and pages (wagtail-factories), and the small builders
that place a course under the catalogue with its lessons."""

from __future__ import annotations

import itertools

import factory
import wagtail_factories
from django.core.files.base import ContentFile
from wagtail.models import Collection, Page

from courses.models import (
    CourseIndexPage,
    CoursePage,
    HomePage,
    LessonPage,
    SuccessStoryIndexPage,
    SuccessStoryPage,
)
from media_pipeline.models import VideoAsset
from quizzes.models import Quiz
from reference.models import LegalProvision, SkillArea, SkillKind, ToolTopic

_seq = itertools.count(1)


class ToolTopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ToolTopic
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"topic-{n}")
    name_th = factory.Sequence(lambda n: f"หัวข้อ {n}")
    name_en = factory.Sequence(lambda n: f"Topic {n}")


class SkillAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SkillArea
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"skill-{n}")
    name_th = factory.Sequence(lambda n: f"ทักษะ {n}")
    name_en = factory.Sequence(lambda n: f"Skill {n}")
    kind = SkillKind.CORE


class LegalProvisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LegalProvision

    law_name_th = "พระราชบัญญัติว่าด้วยธุรกรรมทางอิเล็กทรอนิกส์ พ.ศ. 2544"
    law_name_en = "Electronic Transactions Act B.E. 2544"
    section = factory.Sequence(lambda n: f"มาตรา {n}")
    summary = "ลายมือชื่ออิเล็กทรอนิกส์ใช้แทนการลงนามได้"


class VideoAssetFactory(factory.django.DjangoModelFactory):
    """A clip row as the pipeline leaves it (duration known); the file is a stand-in."""

    class Meta:
        model = VideoAsset

    title = factory.Sequence(lambda n: f"คลิป {n}")
    type = "video"
    duration = 120.0
    status = "ready"  # what the pipeline leaves; tests of other states say so
    file = factory.LazyFunction(lambda: ContentFile(b"\x00" * 16, name="clip.mp4"))


class HomePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = HomePage

    title = "หน้าแรก"
    slug = "home"


class CourseIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = CourseIndexPage

    title = "หลักสูตรทั้งหมด"
    slug = "courses"


class CoursePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = CoursePage

    title = factory.Sequence(lambda n: f"หลักสูตร {n}")
    slug = factory.Sequence(lambda n: f"course-{n}")
    summary = "สรุปหลักสูตร"


class LessonPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = LessonPage

    title = factory.Sequence(lambda n: f"บทเรียน {n}")
    slug = factory.Sequence(lambda n: f"lesson-{n}")


class SuccessStoryIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = SuccessStoryIndexPage

    title = "เรื่องเล่าความสำเร็จ"
    slug = "success-stories"


class SuccessStoryPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = SuccessStoryPage

    title = factory.Sequence(lambda n: f"เรื่องเล่า {n}")
    slug = factory.Sequence(lambda n: f"story-{n}")


def make_video(duration: float = 120.0, **kwargs) -> VideoAsset:
    n = next(_seq)
    kwargs.setdefault("collection", collection_root())
    return VideoAsset.objects.create(
        title=kwargs.pop("title", f"clip {n}"),
        file=f"media/clip-{n}.mp4",
        type="video",
        duration=duration,
        **kwargs,
    )


def page_root() -> Page:
    """Wagtail's root page (a transactional test elsewhere may have flushed it)."""
    return Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))


def collection_root():

    return Collection.get_first_root_node() or Collection.add_root(name="Root")


def course_index() -> CourseIndexPage:
    index = CourseIndexPage.objects.first()
    if index is not None:
        return index
    home = HomePage.objects.first()
    if home is None:
        home = page_root().add_child(instance=HomePage(title="หน้าแรก", slug=f"home-{next(_seq)}"))
    return home.add_child(instance=CourseIndexPage(title="หลักสูตร", slug=f"courses-{next(_seq)}"))


def make_course(title: str = "หลักสูตรทดสอบ", **kwargs) -> CoursePage:
    return course_index().add_child(
        instance=CoursePage(title=title, slug=f"course-{next(_seq)}", **kwargs)
    )


def make_lesson(
    course: CoursePage,
    *,
    clip: VideoAsset | None = None,
    rule: str = "watched",
    quiz: Quiz | None = None,
    live: bool = True,
    **kwargs,
) -> LessonPage:
    body = [("quiz", quiz)] if quiz is not None else []
    lesson = LessonPage(
        title=f"บทเรียน {next(_seq)}",
        slug=f"lesson-{next(_seq)}",
        clip=clip,
        completion_rule=rule,
        body=body,
        live=live,
        **kwargs,
    )
    course.add_child(instance=lesson)
    return lesson


def served_course_index() -> CourseIndexPage:
    """The catalogue, under a home page that the default Site serves (for page URLs)."""
    from wagtail.models import Site

    index = course_index()
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "testserver", "port": 80, "root_page": index.get_parent()},
    )
    return index
