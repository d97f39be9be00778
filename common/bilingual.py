"""Labels that still carry both languages ("ไทย / English", the older convention of
some model choices) shown in one language: the part for the interface language.

The learner's pages pass such labels through ``one_language`` (the ``|one_language``
template filter in ``common.templatetags.thai_text``) so a screen never shows the twin;
labels already in one language pass through unchanged."""

from __future__ import annotations

import re

from django.utils.translation import get_language

THAI = re.compile(r"[\u0E00-\u0E7F]")
LATIN = re.compile(r"[A-Za-z]{2,}")


def split_twin(label: str) -> tuple[str, str] | None:
    """("ไทย", "English") for "ไทย / English"; None when the label is not a twin."""
    parts = label.split(" / ")
    for i in range(len(parts) - 1, 0, -1):
        left, right = " / ".join(parts[:i]).strip(), " / ".join(parts[i:]).strip()
        if THAI.search(left) and not THAI.search(right) and LATIN.search(right):
            return left, right
    return None


def interface_lang(lang: str | None = None) -> str:
    """ "en" when the interface (or the given language code) is English, else "th": the
    one test of which language a screen is in."""
    return "en" if (lang or get_language() or "th").lower().startswith("en") else "th"


def interface_is_english() -> bool:
    return interface_lang() == "en"


def recipient_language(user) -> str:
    """The language a message to ``user`` is written in: the one they chose in their
    profile (Wagtail's), else the site's (Thai). Mail, LINE and push are rendered by
    workers with no request, so they ask this instead of the active language."""
    from django.conf import settings

    profile = getattr(user, "wagtail_userprofile", None) if user is not None else None
    return profile.get_preferred_language() if profile else settings.LANGUAGE_CODE


def one_language(label) -> str:
    text = str(label)
    twin = split_twin(text)
    if twin is None:
        return text
    return twin[1] if interface_is_english() else twin[0]


def one_language_choices(choices):
    """A form field's choices with twin labels in the interface language (lazily)."""
    from django.utils.functional import lazy

    lazy_label = lazy(one_language, str)
    return [(value, lazy_label(label)) for value, label in choices]
