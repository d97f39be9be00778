"""Factories for courses tests (wagtail-factories for pages, factory_boy for the rest)."""

from __future__ import annotations

import factory
import wagtail_factories
from django.core.files.base import ContentFile

from courses.models import (
    CourseIndexPage,
    CoursePage,
    HomePage,
    LessonPage,
    SuccessStoryIndexPage,
    SuccessStoryPage,
)
from media_pipeline.models import VideoAsset
from reference.models import LegalProvision, SkillArea, SkillKind, ToolTopic


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
