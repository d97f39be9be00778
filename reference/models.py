"""The shared vocabulary that content, quizzes and HR all name: tool topics, legal
provisions and skill areas (Wagtail snippets edited by central reviewers), role levels.

The tables keep the names they had when these models lived in ``courses``."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.search import index

from common.bilingual import interface_is_english
from common.thai_search import segment_for_index


class RoleLevel(models.TextChoices):
    """OCSC role levels: of an officer, and of the audience a course or path targets."""

    OPERATIONAL = "operational", _("ระดับปฏิบัติ")
    SUPERVISOR = "supervisor", _("ผู้บังคับบัญชา ผู้อำนวยการ")
    EXECUTIVE = "executive", _("ผู้บริหาร CIO")


class BilingualNameMixin:
    @property
    def label(self) -> str:
        """The name in the interface language (Thai unless English was chosen)."""
        if interface_is_english() and self.name_en:
            return self.name_en
        return self.name_th


class LegalProvision(index.Indexed, models.Model):
    """A section of law that already permits a digital practice."""

    law_name_th = models.CharField(_("ชื่อกฎหมาย (ไทย)"), max_length=255)
    law_name_en = models.CharField(_("ชื่อกฎหมาย (อังกฤษ)"), max_length=255)
    section = models.CharField(_("มาตรา"), max_length=64, blank=True)
    summary = models.TextField(_("สิ่งที่กฎหมายอนุญาต"))
    official_url = models.URLField(_("ลิงก์ทางการ"), blank=True)

    search_fields = [
        index.SearchField("search_text"),
        index.AutocompleteField("search_text"),
        index.FilterField("law_name_th"),
    ]

    class Meta:
        ordering = ["law_name_th", "section"]
        db_table = "courses_legalprovision"
        verbose_name = _("บทบัญญัติกฎหมาย")
        verbose_name_plural = _("บทบัญญัติกฎหมาย")

    def __str__(self) -> str:
        return f"{self.law_name_th} {self.section}".strip()

    def search_text(self) -> str:
        return segment_for_index(self.law_name_th, self.law_name_en, self.section, self.summary)


class ToolTopic(BilingualNameMixin, index.Indexed, models.Model):
    """A digital tool agencies can use under today's law (Digital ID, Open Data...)."""

    name_th = models.CharField(_("ชื่อ (ไทย)"), max_length=120)
    name_en = models.CharField(_("ชื่อ (อังกฤษ)"), max_length=120)
    slug = models.SlugField(_("ชื่อย่อใน URL"), unique=True)
    description = models.TextField(_("คำอธิบาย"), blank=True)
    provisions = models.ManyToManyField(
        LegalProvision,
        blank=True,
        related_name="tool_topics",
        db_table="courses_tooltopic_provisions",
        verbose_name=_("บทบัญญัติที่เปิดทางให้ใช้"),
    )

    search_fields = [
        index.SearchField("search_text"),
        index.AutocompleteField("search_text"),
        index.FilterField("slug"),
    ]

    class Meta:
        ordering = ["name_en"]
        db_table = "courses_tooltopic"
        verbose_name = _("หัวข้อเครื่องมือ")
        verbose_name_plural = _("หัวข้อเครื่องมือ")

    def __str__(self) -> str:
        return self.name_th

    def search_text(self) -> str:
        return segment_for_index(self.name_th, self.name_en, self.description)


class SkillKind(models.TextChoices):
    CORE = "core", _("ทักษะหลัก")
    ELECTIVE = "elective", _("ทักษะเลือก")


class SkillArea(BilingualNameMixin, index.Indexed, models.Model):
    """One of the OCSC digital-skill areas for civil servants."""

    name_th = models.CharField(_("ชื่อ (ไทย)"), max_length=120)
    name_en = models.CharField(_("ชื่อ (อังกฤษ)"), max_length=120)
    slug = models.SlugField(_("ชื่อย่อใน URL"), unique=True)
    kind = models.CharField(_("ประเภท"), max_length=16, choices=SkillKind.choices)

    search_fields = [
        index.SearchField("search_text"),
        index.AutocompleteField("search_text"),
        index.FilterField("kind"),
    ]

    class Meta:
        ordering = ["kind", "name_en"]
        db_table = "courses_skillarea"
        verbose_name = _("ด้านทักษะดิจิทัล")
        verbose_name_plural = _("ด้านทักษะดิจิทัล")

    def __str__(self) -> str:
        return self.name_th

    def search_text(self) -> str:
        return segment_for_index(self.name_th, self.name_en)
