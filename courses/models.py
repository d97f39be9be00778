"""Wagtail pages and snippets for courses, lessons and success stories."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from quizzes.blocks import QuizBlock


class CompletionRule(models.TextChoices):
    """cmi5-style "move on" rules for a lesson."""

    WATCHED = "watched", _("ดูคลิปครบ / Watched")
    PASSED = "passed", _("ผ่านแบบทดสอบ / Passed")
    WATCHED_AND_PASSED = "watched_and_passed", _("ดูครบและผ่านแบบทดสอบ / Watched and passed")
    WATCHED_OR_PASSED = "watched_or_passed", _("ดูครบหรือผ่านแบบทดสอบ / Watched or passed")


class ToolTopic(models.Model):
    """A digital tool agencies can use under today's law (Digital ID, Open Data...)."""

    name_th = models.CharField(_("ชื่อ (ไทย) / name (Thai)"), max_length=120)
    name_en = models.CharField(_("ชื่อ (อังกฤษ) / name (English)"), max_length=120)
    slug = models.SlugField(unique=True)
    description = models.TextField(_("คำอธิบาย / description"), blank=True)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("หัวข้อเครื่องมือ / tool topic")
        verbose_name_plural = _("หัวข้อเครื่องมือ / tool topics")

    def __str__(self) -> str:
        return self.name_th


class LegalProvision(models.Model):
    """A section of law that already permits a digital practice."""

    law_name_th = models.CharField(_("ชื่อกฎหมาย (ไทย) / law (Thai)"), max_length=255)
    law_name_en = models.CharField(_("ชื่อกฎหมาย (อังกฤษ) / law (English)"), max_length=255)
    section = models.CharField(_("มาตรา / section"), max_length=64, blank=True)
    summary = models.TextField(_("สิ่งที่กฎหมายอนุญาต / what it permits (plain language)"))
    official_url = models.URLField(_("ลิงก์ทางการ / official link"), blank=True)

    class Meta:
        ordering = ["law_name_th", "section"]
        verbose_name = _("บทบัญญัติกฎหมาย / legal provision")
        verbose_name_plural = _("บทบัญญัติกฎหมาย / legal provisions")

    def __str__(self) -> str:
        return f"{self.law_name_th} {self.section}".strip()


class SkillKind(models.TextChoices):
    CORE = "core", _("ทักษะหลัก / Core")
    ELECTIVE = "elective", _("ทักษะเลือก / Elective")


class SkillArea(models.Model):
    """One of the OCSC digital-skill areas for civil servants."""

    name_th = models.CharField(_("ชื่อ (ไทย) / name (Thai)"), max_length=120)
    name_en = models.CharField(_("ชื่อ (อังกฤษ) / name (English)"), max_length=120)
    slug = models.SlugField(unique=True)
    kind = models.CharField(_("ประเภท / kind"), max_length=16, choices=SkillKind.choices)

    class Meta:
        ordering = ["kind", "name_en"]
        verbose_name = _("ด้านทักษะดิจิทัล / skill area")
        verbose_name_plural = _("ด้านทักษะดิจิทัล / skill areas")

    def __str__(self) -> str:
        return self.name_th


class HomePage(Page):
    intro = RichTextField(_("คำนำ / introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("หน้าแรก / home page")


class CourseIndexPage(Page):
    """The catalogue of courses."""

    intro = RichTextField(_("คำนำ / introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["courses.HomePage"]
    subpage_types = ["courses.CoursePage"]

    class Meta:
        verbose_name = _("สารบัญหลักสูตร / course catalogue")


class CoursePage(Page):
    """A micro-course: an ordered set of lesson pages (its children)."""

    summary = models.TextField(_("สรุป / summary"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("summary")]
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.LessonPage"]

    class Meta:
        verbose_name = _("หลักสูตร / course")

    def lessons(self):
        """Published lessons in tree order."""
        return LessonPage.objects.child_of(self).live().specific().order_by("path")


class LessonPage(Page):
    """One short clip with text, its legal basis and an optional quiz."""

    clip = models.ForeignKey(
        "media_pipeline.VideoAsset",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("คลิป / clip"),
    )
    body = StreamField(
        [
            ("text", blocks.RichTextBlock(label=_("ข้อความ / text"))),
            ("quiz", QuizBlock(label=_("แบบทดสอบ / quiz"))),
        ],
        blank=True,
        verbose_name=_("เนื้อหา / body"),
    )
    completion_rule = models.CharField(
        _("เงื่อนไขการจบบทเรียน / completion rule"),
        max_length=24,
        choices=CompletionRule.choices,
        default=CompletionRule.WATCHED,
    )
    watched_threshold = models.PositiveSmallIntegerField(
        _("สัดส่วนที่ต้องดู (%) / watched threshold (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("เว้นว่างเพื่อใช้ค่าเริ่มต้น / leave empty for the default"),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("clip"),
        FieldPanel("body"),
        FieldPanel("completion_rule"),
        FieldPanel("watched_threshold"),
    ]
    parent_page_types = ["courses.CoursePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("บทเรียน / lesson")

    @property
    def watched_fraction(self) -> float:
        """Share of the clip that must be played for "watched" (default 90 %)."""
        percent = self.watched_threshold or getattr(settings, "LMS_WATCHED_THRESHOLD_PERCENT", 90)
        return percent / 100

    def quiz_ids(self) -> list[int]:
        """Quizzes placed in the body, in order; the lesson's "passed" rule uses them."""
        return [block.value.pk for block in self.body if block.block_type == "quiz" and block.value]
