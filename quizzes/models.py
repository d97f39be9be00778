"""Quizzes, question banks, attempts and grading.

Banks hold questions (per tool topic or skill area, owned by an agency or
central); a quiz draws fixed questions and/or N random questions from banks;
an attempt stores its own draw and, once submitted, each response and its credit.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

from officers.models import Agency
from reference.models import LegalProvision, SkillArea, ToolTopic


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("เลือกตอบข้อเดียว")
    MULTIPLE = "multiple", _("เลือกได้หลายข้อ")
    TRUE_FALSE = "true_false", _("ถูก/ผิด")
    ORDERING = "ordering", _("เรียงลำดับ")


class RevealPolicy(models.TextChoices):
    PASSED_OR_LAST = "passed_or_last", _("เมื่อผ่านหรือทำครบทุกครั้ง")
    PASSED = "passed", _("เมื่อผ่านเท่านั้น")
    LAST_ATTEMPT = "last_attempt", _("เมื่อทำครบทุกครั้ง")
    NEVER = "never", _("ไม่เฉลย")


class QuestionBank(models.Model):
    """A pool of questions about one tool topic or skill area, owned by an agency or central."""

    name = models.CharField(_("ชื่อคลังข้อสอบ"), max_length=255)
    description = models.TextField(_("คำอธิบาย"), blank=True)
    tool_topic = models.ForeignKey(
        ToolTopic,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="question_banks",
        verbose_name=_("หัวข้อเครื่องมือ"),
    )
    skill_area = models.ForeignKey(
        SkillArea,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="question_banks",
        verbose_name=_("ด้านทักษะดิจิทัล"),
    )
    agency = models.ForeignKey(
        Agency,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="question_banks",
        verbose_name=_("หน่วยงานเจ้าของ"),
        help_text=_("เว้นว่าง = ส่วนกลาง"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("description"),
        FieldPanel("tool_topic"),
        FieldPanel("skill_area"),
        FieldPanel("agency"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("คลังข้อสอบ")
        verbose_name_plural = _("คลังข้อสอบ")

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if not self.tool_topic_id and not self.skill_area_id:
            raise ValidationError(_("ระบุหัวข้อเครื่องมือหรือด้านทักษะ"))


class Question(ClusterableModel):
    """One question with its choices; for ordering, the choices' order is the right order."""

    bank = models.ForeignKey(
        QuestionBank,
        on_delete=models.CASCADE,
        related_name="questions",
        verbose_name=_("คลังข้อสอบ"),
    )
    kind = models.CharField(
        _("ประเภทคำถาม"),
        max_length=16,
        choices=QuestionKind.choices,
        default=QuestionKind.SINGLE,
    )
    text = models.TextField(_("คำถาม"))
    explanation = models.TextField(
        _("คำอธิบายเฉลย"),
        blank=True,
        help_text=_("แสดงหลังส่งคำตอบ"),
    )
    provisions = models.ManyToManyField(
        LegalProvision,
        blank=True,
        related_name="questions",
        verbose_name=_("บทบัญญัติกฎหมายที่อ้างอิง"),
    )
    active = models.BooleanField(_("ใช้งาน"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldPanel("bank"),
        FieldPanel("kind"),
        FieldPanel("text"),
        InlinePanel(
            "choices",
            label=_("ตัวเลือก"),
            help_text=_(
                "สำหรับคำถามเรียงลำดับ ลำดับที่ใส่คือคำตอบที่ถูก / "
                "For ordering questions the order given here is the correct order"
            ),
            min_num=2,
        ),
        FieldPanel("explanation"),
        FieldPanel("provisions"),
        FieldPanel("active"),
    ]

    class Meta:
        ordering = ["bank_id", "pk"]
        verbose_name = _("คำถาม")
        verbose_name_plural = _("คำถาม")

    def __str__(self) -> str:
        return self.text if len(self.text) <= 80 else self.text[:77] + "..."


class Choice(Orderable):
    """An answer option with the feedback shown to whoever picks it."""

    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(_("ตัวเลือก"), max_length=500)
    is_correct = models.BooleanField(_("ถูกต้อง"), default=False)
    feedback = models.TextField(_("คำแนะนำเมื่อเลือกข้อนี้"), blank=True)

    panels = [FieldPanel("text"), FieldPanel("is_correct"), FieldPanel("feedback")]

    class Meta(Orderable.Meta):
        verbose_name = _("ตัวเลือก")

    def __str__(self) -> str:
        return self.text


class Quiz(ClusterableModel):
    """A quiz: fixed questions and/or random draws from banks, with its attempt rules."""

    title = models.CharField(_("ชื่อแบบทดสอบ"), max_length=255)
    agency = models.ForeignKey(
        Agency,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="quizzes",
        verbose_name=_("หน่วยงานเจ้าของ"),
        help_text=_("เว้นว่าง = ส่วนกลาง"),
    )
    shuffle_questions = models.BooleanField(_("สลับลำดับคำถาม"), default=True)
    shuffle_choices = models.BooleanField(_("สลับลำดับตัวเลือก"), default=True)
    pass_mark = models.PositiveSmallIntegerField(
        _("เกณฑ์ผ่าน (%)"),
        default=60,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("จำนวนครั้งสูงสุด"),
        default=3,
        help_text=_("0 = ไม่จำกัด"),
    )
    cooldown_minutes = models.PositiveIntegerField(_("เว้นระยะระหว่างครั้ง (นาที)"), default=0)
    time_limit_minutes = models.PositiveIntegerField(
        _("จำกัดเวลา (นาที)"),
        null=True,
        blank=True,
        help_text=_("เว้นว่าง = ไม่จำกัดเวลา"),
    )
    reveal_answers = models.CharField(
        _("เฉลยคำตอบ"),
        max_length=16,
        choices=RevealPolicy.choices,
        default=RevealPolicy.PASSED_OR_LAST,
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("agency"),
        InlinePanel("fixed_questions", label=_("คำถามที่กำหนด")),
        InlinePanel("bank_draws", label=_("สุ่มจากคลังข้อสอบ")),
        MultiFieldPanel(
            [
                FieldPanel("shuffle_questions"),
                FieldPanel("shuffle_choices"),
                FieldPanel("pass_mark"),
                FieldPanel("max_attempts"),
                FieldPanel("cooldown_minutes"),
                FieldPanel("time_limit_minutes"),
                FieldPanel("reveal_answers"),
            ],
            heading=_("กติกา"),
        ),
    ]

    class Meta:
        verbose_name = _("แบบทดสอบ")
        verbose_name_plural = _("แบบทดสอบ")

    def __str__(self) -> str:
        return self.title


class QuizQuestion(Orderable):
    """A question every attempt of the quiz gets."""

    quiz = ParentalKey(Quiz, on_delete=models.CASCADE, related_name="fixed_questions")
    question = models.ForeignKey(
        Question,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("คำถาม"),
    )

    panels = [FieldPanel("question")]


class QuizBankDraw(Orderable):
    """N questions drawn at random from a bank for each attempt."""

    quiz = ParentalKey(Quiz, on_delete=models.CASCADE, related_name="bank_draws")
    bank = models.ForeignKey(
        QuestionBank,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("คลังข้อสอบ"),
    )
    count = models.PositiveSmallIntegerField(
        _("จำนวนข้อที่สุ่ม"), default=3, validators=[MinValueValidator(1)]
    )

    panels = [FieldPanel("bank"), FieldPanel("count")]


class Attempt(models.Model):
    """One officer's try at a quiz: its draw is fixed at start, its grade at submit."""

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="attempts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    started_at = models.DateTimeField(default=timezone.now)
    deadline = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    timed_out = models.BooleanField(default=False)
    score = models.FloatField(null=True, blank=True)
    passed = models.BooleanField(default=False)
    # Set when the officer takes the course again: the attempt stays for analytics but
    # no longer counts towards the limit, the cooldown or the learner's result.
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["user", "quiz", "started_at"])]
        verbose_name = _("การทำแบบทดสอบ")
        verbose_name_plural = _("การทำแบบทดสอบ")

    def __str__(self) -> str:
        return f"{self.quiz} #{self.pk} ({self.user})"

    @property
    def is_open(self) -> bool:
        return self.submitted_at is None


class AttemptQuestion(models.Model):
    """A drawn question inside an attempt: shown order, choice order, and the response."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="items")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="responses")
    position = models.PositiveSmallIntegerField()
    choice_order = models.JSONField(default=list)
    # What the browser sees instead of primary keys: a random token for the question
    # and one per choice (aligned with choice_order), new for every attempt.
    token = models.CharField(max_length=32, blank=True, default="")
    choice_tokens = models.JSONField(default=list)
    selected = models.JSONField(null=True, blank=True)
    credit = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["attempt", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "question"], name="quiz_attempt_question_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id}:{self.position}"
