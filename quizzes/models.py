"""Quizzes, question banks, attempts and grading."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Quiz(models.Model):
    title = models.CharField(_("ชื่อแบบทดสอบ / title"), max_length=255)

    class Meta:
        verbose_name = _("แบบทดสอบ / quiz")
        verbose_name_plural = _("แบบทดสอบ / quizzes")

    def __str__(self) -> str:
        return self.title
