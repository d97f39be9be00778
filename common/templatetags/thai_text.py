"""Template filters for text on the learner's pages: a twin label in one language, and
Thai text with word-break opportunities (<wbr>) so a line never splits a syllable."""

from __future__ import annotations

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from common.bilingual import THAI
from common.bilingual import one_language as _one_language

register = template.Library()


@register.filter
def one_language(label) -> str:
    return _one_language(label)


@register.filter
def thai_wbr(text) -> str:
    """Insert <wbr> between Thai words (pythainlp's dictionary segmentation), so the
    browser breaks lines between words, never inside one. The text is escaped."""
    value = "" if text is None else str(text)
    if not THAI.search(value):
        return conditional_escape(value)
    from pythainlp.tokenize import word_tokenize

    parts: list[str] = []
    previous_thai = False
    for word in word_tokenize(value, engine="newmm", keep_whitespace=True):
        is_thai = bool(THAI.search(word))
        if is_thai and previous_thai:
            parts.append("<wbr>")
        parts.append(conditional_escape(word))
        previous_thai = is_thai
    return mark_safe("".join(parts))  # noqa: S308 - every word is escaped above


@register.filter
def is_twin(label) -> bool:
    """Whether a label carries both languages (the "Thai / English" twin form)."""
    from common.bilingual import split_twin

    return split_twin(str(label or "")) is not None
