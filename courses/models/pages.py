"""Wagtail pages: home, catalogue, courses, lessons, success stories, learning paths."""

from __future__ import annotations

import math

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Coalesce
from django.template.response import TemplateResponse
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from rest_framework import serializers
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtailmedia.edit_handlers import MediaChooserPanel

from common.thai_search import ThaiSearchMixin
from common.thai_slugs import ThaiSlugMixin
from officers.models import Agency, AgencyType
from quizzes.blocks import QuizBlock
from reference.models import LegalProvision, RoleLevel, SkillArea, ToolTopic

from ..blocks import FigureRowBlock, LegalBasisBlock, ResourcesBlock, TextBlock


class CompletionRule(models.TextChoices):
    """cmi5-style "move on" rules for a lesson."""

    # The rule a lesson sets (what is required), not the learner's status.
    WATCHED = "watched", _("ต้องดูคลิปให้ครบ")
    PASSED = "passed", _("ต้องผ่านแบบทดสอบ")
    WATCHED_AND_PASSED = "watched_and_passed", _("ต้องดูคลิปให้ครบและผ่านแบบทดสอบ")
    WATCHED_OR_PASSED = "watched_or_passed", _("ดูคลิปให้ครบหรือผ่านแบบทดสอบอย่างใดอย่างหนึ่ง")


class RoadmapPhase(models.TextChoices):
    DIGITALIZATION = "digitalization", _("ระยะที่ 1 การแปลงเป็นดิจิทัล")
    INTEGRATION = "integration", _("ระยะที่ 2 การเชื่อมโยงและบูรณาการ")
    TRANSFORMATION = "transformation", _("ระยะที่ 3 การปรับเปลี่ยนสู่รัฐบาลดิจิทัล")


class SkillLevel(models.IntegerChoices):
    BASIC = 1, _("1 พื้นฐาน")
    INTERMEDIATE = 2, _("2 ปานกลาง")
    ADVANCED = 3, _("3 ขั้นสูง")


def lesson_seconds():
    """One lesson's length in seconds, for aggregates over lessons: its clip's duration
    when a ready clip is attached, else the editor's estimated minutes, else the duration
    the clip was probed at (a clip still in the pipeline), else 0."""
    from media_pipeline.models import VideoStatus

    return models.Case(
        models.When(
            clip__status=VideoStatus.READY,
            clip__duration__gt=0,
            then=models.F("clip__duration"),
        ),
        models.When(
            estimated_minutes__isnull=False,
            then=models.F("estimated_minutes") * models.Value(60.0),
        ),
        default=Coalesce(models.F("clip__duration"), models.Value(0.0)),
        output_field=models.FloatField(),
    )


def course_minutes(lessons) -> int:
    """Minutes of a set of lessons (clip or estimate each), rounded up (1 query)."""
    seconds = lessons.aggregate(seconds=models.Sum(lesson_seconds()))["seconds"]
    return math.ceil(round(seconds or 0, 3) / 60)


def thai_search_fields() -> list:
    return [
        *Page.search_fields,
        index.SearchField("search_text"),
        index.AutocompleteField("search_text"),
    ]


def streamfield_text(value) -> str:
    return " ".join(strip_tags(str(t)) for t in value.stream_block.get_searchable_content(value))


class NamedSerializer(serializers.Serializer):
    """Tool topics and skill areas in the read-only API."""

    id = serializers.IntegerField()
    slug = serializers.CharField()
    name_th = serializers.CharField()
    name_en = serializers.CharField()


class HomePage(ThaiSlugMixin, ThaiSearchMixin, Page):
    intro = RichTextField(_("คำนำ"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = Page.search_fields
    api_fields = [APIField("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "courses.CourseIndexPage",
        "courses.SuccessStoryIndexPage",
        "courses.LearningPathPage",
    ]
    max_count = 1

    class Meta:
        verbose_name = _("หน้าแรก")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["latest_courses"] = (
            CoursePage.objects.live()
            .public()
            .prefetch_related("tool_topics", "skill_targets__skill_area")
            .order_by("-first_published_at")[:6]
        )
        return context


class CourseIndexPage(ThaiSlugMixin, Page):
    """The catalogue of courses: filters, pagination and empty states (see selectors)."""

    intro = RichTextField(_("คำนำ"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    api_fields = [APIField("intro")]
    parent_page_types = ["courses.HomePage"]
    subpage_types = ["courses.CoursePage", "courses.AgencyCourseFolderPage"]

    class Meta:
        verbose_name = _("สารบัญหลักสูตร")

    def serve(self, request, *args, **kwargs):
        from ..selectors import catalogue_page

        context = self.get_context(request, *args, **kwargs)
        result = catalogue_page(index=self, params=request.GET)
        context.update(result)
        status = 400 if result["errors"] else 200
        return TemplateResponse(request, self.get_template(request), context, status=status)


class AgencyCourseFolderPage(ThaiSlugMixin, Page):
    """An agency's own course and lesson drafting area; its editors group edits only here."""

    agency = models.ForeignKey(
        "officers.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("หน่วยงาน"),
    )

    content_panels = [*Page.content_panels, FieldPanel("agency")]
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.CoursePage"]

    class Meta:
        verbose_name = _("พื้นที่หลักสูตรของหน่วยงาน")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["courses"] = CoursePage.objects.live().public().child_of(self)
        return context


class QuizOwnerFormMixin:
    """Pages may use only the editor's own agency's or central quizzes: checked here on
    the server, not only hidden by the chooser. Quizzes a page already uses may stay."""

    def _quizzes_in(self, cleaned: dict) -> set[int]:
        ids = set()
        if cleaned.get("final_quiz"):
            ids.add(cleaned["final_quiz"].pk)
        for block in cleaned.get("body") or []:
            if block.block_type == "quiz" and block.value:
                ids.add(block.value.pk)
        return ids

    def _quizzes_already_used(self) -> set[int]:
        if not self.instance.pk:
            return set()
        saved = type(self.instance).objects.filter(pk=self.instance.pk).first()
        if saved is None:
            return set()
        ids = set(saved.quiz_ids()) if hasattr(saved, "quiz_ids") else set()
        if getattr(saved, "final_quiz_id", None):
            ids.add(saved.final_quiz_id)
        return ids

    def clean(self):
        from quizzes.permissions import quizzes_usable_by

        cleaned = super().clean()
        user = getattr(self, "for_user", None)
        if user is None:
            return cleaned
        wanted = self._quizzes_in(cleaned) - self._quizzes_already_used()
        if wanted:
            usable = set(quizzes_usable_by(user).filter(pk__in=wanted).values_list("pk", flat=True))
            if wanted - usable:
                raise ValidationError(_("แบบทดสอบนี้เป็นของหน่วยงานอื่น"))
        return cleaned


class CoursePageForm(QuizOwnerFormMixin, WagtailAdminPageForm):
    agency_types = forms.MultipleChoiceField(
        label=_("เหมาะกับหน่วยงานประเภท"),
        choices=AgencyType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


# The edit view's buttons that send a page towards the public: publish, submit for
# moderation, restart the workflow, and a reviewer's approval (issue 17).
PUBLISHING_ACTIONS = ("action-publish", "action-submit", "action-restart-workflow")


def clip_not_ready_message(clip_id: int | None) -> str | None:
    """Why a page with this clip may not be submitted or published (None: it may)."""
    from media_pipeline.models import VideoAsset, VideoStatus

    clip = VideoAsset.objects.filter(pk=clip_id).first() if clip_id else None
    if clip is None or clip.is_ready:
        return None
    if clip.status == VideoStatus.FAILED:
        return _(
            "คลิป “%(title)s” แปลงไฟล์ไม่สำเร็จ (สถานะ: %(state)s – %(reason)s) "
            "จึงส่งตรวจหรือเผยแพร่หน้านี้ไม่ได้ โปรดอัปโหลดคลิปใหม่หรือเลือกคลิปอื่น"
        ) % {
            "title": clip.title,
            "state": clip.get_status_display(),
            "reason": clip.error_message or clip.error_code or "-",
        }
    return _(
        "คลิป “%(title)s” ยังไม่พร้อม (สถานะ: %(state)s %(percent)s%%) "
        "จึงส่งตรวจหรือเผยแพร่หน้านี้ไม่ได้ โปรดรอให้แปลงไฟล์เสร็จ"
    ) % {"title": clip.title, "state": clip.get_status_display(), "percent": clip.progress_percent}


class ClipNotReadyError(ValidationError):
    """A publication refused because the page's clip is not ready (see below)."""

    def __init__(self, message: str, page_id: int | None = None) -> None:
        super().__init__({"clip": message})
        self.page_id = page_id
        self.reason = message


class ReadyClipPublishingMixin:
    """A person cannot publish a page whose clip is not ready, whichever path the
    publication takes (edit view, workflow approval, bulk action): the page forms refuse
    it with a field error first; this holds the line for the paths without a form.
    Publications with no user (the demo seed, scheduled publishing) are not checked."""

    def publish(self, revision, user=None, *args, **kwargs):
        if user is not None:
            message = clip_not_ready_message(getattr(revision.as_object(), "clip_id", None))
            if message:
                raise ClipNotReadyError(message, page_id=getattr(self, "pk", None))
        return super().publish(revision, user, *args, **kwargs)


class ClipPageForm(QuizOwnerFormMixin, WagtailAdminPageForm):
    """Page form for pages with a clip: the chooser lists only clips from the editor's
    own collections, and this check holds the same line against a crafted request.
    Submitting, publishing or approving needs a ready clip (saving a draft does not)."""

    def _sends_towards_public(self) -> bool:
        data = self.data
        if any(data.get(name) for name in PUBLISHING_ACTIONS):
            return True
        return bool(data.get("action-workflow-action")) and (
            data.get("workflow-action-name") == "approve"
        )

    def clean(self):
        cleaned = super().clean()
        clip = cleaned.get("clip")
        if clip is not None and self._sends_towards_public():
            message = clip_not_ready_message(clip.pk)
            if message:
                self.add_error("clip", message)
        return cleaned

    def clean_clip(self):
        from wagtailmedia.permissions import get_permission_policy

        clip = self.cleaned_data.get("clip")
        user = getattr(self, "for_user", None)
        if clip is None or user is None or clip.pk == self.instance.clip_id:
            return clip  # keeping the clip a page already has is always allowed
        allowed = get_permission_policy().instances_user_has_any_permission_for(
            user, ["change", "delete"]
        )
        if not allowed.filter(pk=clip.pk).exists():
            raise ValidationError(_("คลิปนี้อยู่นอกคอลเลกชันของท่าน"))
        return clip


class SuccessStoryPageForm(ClipPageForm):
    """A new story starts with the editor's agency (the story index's, else the editor's
    own unit); the agency list holds only units the editor may give content to, and a
    forged POST of another agency's id is refused with a field error."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from officers import scoping

        user = getattr(self, "for_user", None)
        field = self.fields.get("agency")
        if user is None or field is None:
            return
        allowed = scoping.editable_agencies(user)
        if self.instance.agency_id:  # an existing story may keep its agency
            allowed = Agency.objects.filter(
                models.Q(pk__in=allowed.values("pk")) | models.Q(pk=self.instance.agency_id)
            )
        field.queryset = allowed
        field.error_messages["invalid_choice"] = _("หน่วยงานนี้อยู่นอกสิทธิ์ของท่าน")
        if not self.instance.pk and not self.is_bound:
            parent = getattr(self, "parent_page", None)
            parent_agency = getattr(getattr(parent, "specific", None), "agency", None)
            default = parent_agency or scoping.user_agency(user)
            if default is not None and allowed.filter(pk=default.pk).exists():
                self.initial["agency"] = default.pk


class CoursePage(ThaiSlugMixin, ThaiSearchMixin, Page):
    """A micro-course: an ordered set of lesson pages (its children)."""

    summary = models.TextField(_("สรุป"), blank=True)
    learning_outcomes = models.TextField(
        _("ผลลัพธ์การเรียนรู้"),
        blank=True,
        help_text=_("บรรทัดละหนึ่งข้อ"),
    )
    tool_topics = ParentalManyToManyField(
        ToolTopic, blank=True, related_name="courses", verbose_name=_("หัวข้อเครื่องมือ")
    )
    roadmap_phase = models.CharField(
        _("ระยะของแผนที่นำทาง"),
        max_length=16,
        choices=RoadmapPhase.choices,
        blank=True,
        db_index=True,
    )
    agency_types = models.JSONField(_("เหมาะกับหน่วยงานประเภท"), default=list, blank=True)
    final_quiz = models.ForeignKey(
        "quizzes.Quiz",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("แบบทดสอบท้ายหลักสูตร"),
    )
    # Kept up to date from the live lessons (services.course_refresh_totals) so the
    # catalogue can filter and sort by duration in one query.
    duration_minutes = models.PositiveIntegerField(
        _("เวลาเรียนโดยประมาณ (นาที)"), default=0, editable=False, db_index=True
    )
    lesson_count = models.PositiveIntegerField(_("จำนวนบทเรียน"), default=0, editable=False)

    base_form_class = CoursePageForm
    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("learning_outcomes"),
        MultiFieldPanel(
            [
                FieldPanel("tool_topics", widget=forms.CheckboxSelectMultiple),
                FieldPanel("roadmap_phase"),
                FieldPanel("agency_types"),
            ],
            heading=_("การจัดหมวด"),
        ),
        InlinePanel("skill_targets", heading=_("ด้านทักษะและระดับเป้าหมาย")),
        FieldPanel("final_quiz"),
    ]
    search_fields = [*thai_search_fields(), index.FilterField("roadmap_phase")]
    api_fields = [
        APIField("summary"),
        APIField("learning_outcome_list"),
        APIField("tool_topics", serializer=NamedSerializer(many=True)),
        APIField("skill_target_list"),
        APIField("roadmap_phase"),
        APIField("agency_types"),
        APIField("estimated_minutes"),
        APIField("lesson_count"),
        APIField("final_quiz_id"),
    ]
    parent_page_types = ["courses.CourseIndexPage", "courses.AgencyCourseFolderPage"]
    subpage_types = ["courses.LessonPage"]

    class Meta:
        verbose_name = _("หลักสูตร")

    def lessons(self):
        """Published lessons in tree order."""
        return LessonPage.objects.child_of(self).live().specific().order_by("path")

    def estimated_minutes(self) -> int:
        """The course's length: the live lessons' ready clips, and the estimated minutes of
        lessons without one, rounded up (1 query)."""
        return course_minutes(LessonPage.objects.child_of(self).live())

    def learning_minutes(self) -> int:
        """Learning time credited for completing the course (learning hours = this / 60)."""
        return self.estimated_minutes()

    def learning_outcome_list(self) -> list[str]:
        return [line.strip() for line in self.learning_outcomes.splitlines() if line.strip()]

    def skill_target_list(self) -> list[dict]:
        return [
            {
                "skill_area": t.skill_area.slug,
                "name_th": t.skill_area.name_th,
                "role_level": t.role_level,
                "level": t.level,
            }
            for t in self.skill_targets.all()
        ]

    def agency_type_labels(self) -> list[str]:
        names = dict(AgencyType.choices)
        return [str(names.get(code, code)) for code in self.agency_types or []]

    def search_parts(self) -> list[str]:
        return [*super().search_parts(), self.summary, self.learning_outcomes]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["lesson_list"] = self.lessons().select_related("clip")
        return context


class CourseSkillTarget(Orderable):
    """A course's target on the OCSC framework: skill area x role level, level 1-3."""

    course = ParentalKey(CoursePage, on_delete=models.CASCADE, related_name="skill_targets")
    skill_area = models.ForeignKey(
        SkillArea,
        on_delete=models.CASCADE,
        related_name="course_targets",
        verbose_name=_("ด้านทักษะ"),
    )
    role_level = models.CharField(
        _("กลุ่มเป้าหมาย"),
        max_length=16,
        choices=RoleLevel.choices,
        default=RoleLevel.OPERATIONAL,
    )
    level = models.PositiveSmallIntegerField(
        _("ระดับ (1-3)"),
        choices=SkillLevel.choices,
        default=SkillLevel.BASIC,
        validators=[MinValueValidator(1), MaxValueValidator(3)],
    )

    panels = [FieldPanel("skill_area"), FieldPanel("role_level"), FieldPanel("level")]

    class Meta(Orderable.Meta):
        verbose_name = _("เป้าหมายด้านทักษะ")


class LessonPage(ThaiSlugMixin, ReadyClipPublishingMixin, ThaiSearchMixin, Page):
    """One short clip with text, its legal basis, resources and an optional quiz."""

    clip = models.ForeignKey(
        "media_pipeline.VideoAsset",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("คลิป"),
    )
    body = StreamField(
        [
            ("text", TextBlock(label=_("ข้อความ"))),
            ("legal_basis", LegalBasisBlock()),
            ("resources", ResourcesBlock()),
            ("quiz", QuizBlock(label=_("แบบทดสอบ"))),
        ],
        blank=True,
        verbose_name=_("เนื้อหา"),
    )
    completion_rule = models.CharField(
        _("เงื่อนไขการจบบทเรียน"),
        max_length=24,
        choices=CompletionRule.choices,
        default=CompletionRule.WATCHED,
    )
    watched_threshold = models.PositiveSmallIntegerField(
        _("สัดส่วนที่ต้องดู (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("เว้นว่างเพื่อใช้ค่าเริ่มต้น"),
    )
    estimated_minutes = models.PositiveSmallIntegerField(
        _("เวลาเรียนโดยประมาณ (นาที)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("ใช้นับความยาวหลักสูตรเมื่อบทเรียนไม่มีคลิปที่พร้อมใช้งาน (บทเรียนที่มีคลิปนับตามความยาวคลิป)"),
    )

    content_panels = [
        *Page.content_panels,
        MediaChooserPanel("clip", media_type="video"),
        FieldPanel("estimated_minutes"),
        FieldPanel("body"),
        FieldPanel("completion_rule"),
        FieldPanel("watched_threshold"),
    ]
    search_fields = thai_search_fields()
    api_fields = [
        APIField("clip_id"),
        APIField("body"),
        APIField("completion_rule"),
        APIField("watched_threshold"),
        APIField("estimated_minutes"),
    ]
    parent_page_types = ["courses.CoursePage"]
    subpage_types: list[str] = []
    base_form_class = ClipPageForm

    class Meta:
        verbose_name = _("บทเรียน")

    @property
    def watched_fraction(self) -> float:
        """Share of the clip that must be played for "watched" (default 90 %)."""
        return self.watched_fraction_for(self.watched_threshold)

    @staticmethod
    def watched_fraction_for(threshold: int | None) -> float:
        """The "watched" share for a lesson's threshold field (None: the site default)."""
        return (threshold or settings.LMS_WATCHED_THRESHOLD_PERCENT) / 100

    def quiz_ids(self) -> list[int]:
        """Quizzes placed in the body, in order; the lesson's "passed" rule uses them."""
        return [block.value.pk for block in self.body if block.block_type == "quiz" and block.value]

    def clean(self):
        super().clean()
        limit = settings.LMS_MAX_LESSON_SECONDS
        duration = self.clip.duration if self.clip_id and self.clip else None
        if duration and duration > limit:
            raise ValidationError(
                {
                    "clip": _(
                        "คลิปยาว %(clip)s นาที เกินความยาวสูงสุดของบทเรียนสั้น %(limit)s นาที / "
                        "The clip is %(clip)s minutes long; micro-lessons are limited to "
                        "%(limit)s minutes."
                    )
                    % {"clip": f"{duration / 60:.1f}", "limit": f"{limit / 60:g}"}
                }
            )

    def search_parts(self) -> list[str]:
        return [*super().search_parts(), streamfield_text(self.body)]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        course = self.get_parent().specific
        siblings = list(course.lessons().only("id", "title", "path", "url_path"))
        ids = [p.pk for p in siblings]
        position = ids.index(self.pk) if self.pk in ids else -1
        context["course"] = course
        context["lesson_number"] = position + 1
        context["lesson_total"] = len(ids)
        context["previous_lesson"] = siblings[position - 1] if position > 0 else None
        context["next_lesson"] = (
            siblings[position + 1] if 0 <= position < len(siblings) - 1 else None
        )
        return context


class SuccessStoryIndexPage(ThaiSlugMixin, ThaiSearchMixin, Page):
    """Success stories; one child index per agency holds that agency's stories."""

    agency = models.ForeignKey(
        "officers.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("หน่วยงาน"),
        help_text=_("เว้นว่างสำหรับหน้ารวมทุกหน่วยงาน"),
    )
    intro = RichTextField(_("คำนำ"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("agency"), FieldPanel("intro")]
    api_fields = [APIField("intro"), APIField("agency_id")]
    parent_page_types = ["courses.HomePage", "courses.SuccessStoryIndexPage"]
    subpage_types = ["courses.SuccessStoryIndexPage", "courses.SuccessStoryPage"]

    class Meta:
        verbose_name = _("รวมเรื่องเล่าความสำเร็จ")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["stories"] = (
            SuccessStoryPage.objects.live()
            .public()
            .descendant_of(self)
            .select_related("agency")
            .prefetch_related("tool_topics")
            .order_by("-first_published_at")
        )
        return context


class SuccessStoryPage(ThaiSlugMixin, ReadyClipPublishingMixin, ThaiSearchMixin, Page):
    """How one agency used a digital tool without any change of law."""

    agency = models.ForeignKey(
        "officers.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("หน่วยงาน"),
    )
    province = models.CharField(_("จังหวัด"), max_length=100, blank=True)
    tool_topics = ParentalManyToManyField(
        ToolTopic, blank=True, related_name="stories", verbose_name=_("หัวข้อเครื่องมือ")
    )
    legal_provisions = ParentalManyToManyField(
        LegalProvision,
        blank=True,
        related_name="stories",
        verbose_name=_("บทบัญญัติที่อ้างอิง"),
    )
    problem = RichTextField(_("ปัญหาเดิม"), blank=True)
    what_changed = RichTextField(_("สิ่งที่เปลี่ยนไป"), blank=True)
    figures = StreamField(
        [("row", FigureRowBlock())],
        blank=True,
        verbose_name=_("ตัวเลขก่อน/หลัง"),
    )
    clip = models.ForeignKey(
        "media_pipeline.VideoAsset",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("คลิป"),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("agency"),
        FieldPanel("province"),
        FieldPanel("tool_topics", widget=forms.CheckboxSelectMultiple),
        FieldPanel("legal_provisions"),
        FieldPanel("problem"),
        FieldPanel("what_changed"),
        FieldPanel("figures"),
        MediaChooserPanel("clip", media_type="video"),
    ]
    search_fields = thai_search_fields()
    api_fields = [
        APIField("agency_id"),
        APIField("province"),
        APIField("tool_topics", serializer=NamedSerializer(many=True)),
        APIField("problem"),
        APIField("what_changed"),
        APIField("figures"),
        APIField("clip_id"),
    ]
    parent_page_types = ["courses.SuccessStoryIndexPage"]
    subpage_types: list[str] = []
    base_form_class = SuccessStoryPageForm

    class Meta:
        verbose_name = _("เรื่องเล่าความสำเร็จ")

    def search_parts(self) -> list[str]:
        return [
            *super().search_parts(),
            self.province,
            strip_tags(self.problem),
            strip_tags(self.what_changed),
        ]


class LearningPathPage(ThaiSlugMixin, ThaiSearchMixin, Page):
    """Courses in order, grouped by roadmap phase, for one agency type and role level."""

    intro = RichTextField(_("คำนำ"), blank=True)
    agency_type = models.CharField(
        _("ประเภทหน่วยงาน"), max_length=32, choices=AgencyType.choices, blank=True
    )
    role_level = models.CharField(
        _("กลุ่มเป้าหมาย"), max_length=16, choices=RoleLevel.choices, blank=True
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("agency_type"),
        FieldPanel("role_level"),
        InlinePanel("steps", heading=_("ลำดับหลักสูตร"), min_num=1),
    ]
    search_fields = thai_search_fields()
    api_fields = [
        APIField("intro"),
        APIField("agency_type"),
        APIField("role_level"),
        APIField("step_list"),
    ]
    parent_page_types = ["courses.HomePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("เส้นทางการเรียนรู้")

    def step_list(self) -> list[dict]:
        return [
            {"course": s.course_id, "phase": s.phase, "milestone": s.milestone}
            for s in self.steps.all()
        ]

    def phases(self) -> list[dict]:
        """Steps grouped by roadmap phase in roadmap order (Digitalization first)."""
        steps = list(self.steps.select_related("course").all())
        groups = []
        for value, label in RoadmapPhase.choices:
            items = [s for s in steps if s.phase == value]
            if items:
                groups.append({"phase": value, "label": label, "steps": items})
        return groups

    def search_parts(self) -> list[str]:
        return [*super().search_parts(), strip_tags(self.intro)]


class LearningPathStep(Orderable):
    path = ParentalKey(LearningPathPage, on_delete=models.CASCADE, related_name="steps")
    course = models.ForeignKey(
        CoursePage, on_delete=models.CASCADE, related_name="+", verbose_name=_("หลักสูตร")
    )
    phase = models.CharField(
        _("ระยะ"),
        max_length=16,
        choices=RoadmapPhase.choices,
        default=RoadmapPhase.DIGITALIZATION,
    )
    milestone = models.CharField(
        _("หมุดหมาย"),
        max_length=255,
        blank=True,
        help_text=_("สิ่งที่หน่วยงานควรทำได้เมื่อจบขั้นนี้"),
    )

    panels = [FieldPanel("course"), FieldPanel("phase"), FieldPanel("milestone")]

    class Meta(Orderable.Meta):
        verbose_name = _("ขั้นของเส้นทาง")
