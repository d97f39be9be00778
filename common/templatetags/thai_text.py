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


@register.filter(needs_autoescape=True)
def thai_wbr(text, autoescape=True) -> str:
    """Insert <wbr> between Thai words (pythainlp's dictionary segmentation), so the
    browser breaks lines between words, never inside one."""
    value = "" if text is None else str(text)
    esc = conditional_escape if autoescape else (lambda s: s)
    if not THAI.search(value):
        return esc(value)
    from pythainlp.tokenize import word_tokenize

    words = word_tokenize(value, engine="newmm", keep_whitespace=True)
    out, previous_thai = [], False
    for word in words:
        is_thai = bool(THAI.search(word))
        if is_thai and previous_thai:
            out.append("<wbr>")
        out.append(str(esc(word)))
        previous_thai = is_thai
    return mark_safe("".join(out))


@register.filter
def is_twin(label) -> bool:
    """Whether a label carries both languages ("ไทย / English")."""
    from common.bilingual import split_twin

    return split_twin(str(label or "")) is not None
