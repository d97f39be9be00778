"""One language per screen: find interface text in the other language.

Editors' content keeps the language it was written in; templates mark it with
``lang="th"`` (good for screen readers too), and these checks skip text inside an
element whose ``lang`` differs from the page's.

- English page: any Thai letters in text or in an interface attribute (aria-label,
  placeholder, title, alt, button value) outside a ``lang="th"`` element.
- Thai page: an English interface string from the project's catalogues (a msgstr of two
  or more words) in text or attributes, or a "ไทย / English" twin label.
"""

from __future__ import annotations

import re
from functools import cache
from html.parser import HTMLParser

from babel.messages.pofile import read_po

from common.catalogues import catalogues

THAI = re.compile(r"[\u0E00-\u0E7F]")
TWIN = re.compile(r"[\u0E00-\u0E7F][^/\n]*\s/\s*[A-Za-z]{3,}")
ATTRIBUTES = ("aria-label", "placeholder", "title", "alt")
SKIP_TAGS = {"script", "style", "template", "noscript"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}  # fmt: skip


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None]] = []
        self.page_lang = ""
        self.found: list[tuple[str, str]] = []  # (effective lang, text)

    def _lang(self) -> str:
        for _tag, lang in reversed(self.stack):
            if lang:
                return lang.split("-")[0].lower()
        return self.page_lang

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "html":
            self.page_lang = (values.get("lang") or "").split("-")[0].lower()
        lang = values.get("lang")
        own = (lang or "").split("-")[0].lower() or self._lang()
        texts = [values.get(name) for name in ATTRIBUTES]
        if tag == "input" and values.get("type") in {"submit", "button"}:
            texts.append(values.get("value"))
        for text in texts:
            if text and text.strip():
                self.found.append((own, text.strip()))
        if tag not in VOID:
            self.stack.append((tag, lang))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        if any(tag in SKIP_TAGS for tag, _ in self.stack):
            return
        if data.strip():
            self.found.append((self._lang(), " ".join(data.split())))


def texts(html: str) -> tuple[str, list[tuple[str, str]]]:
    collector = _Collector()
    collector.feed(html)
    return collector.page_lang, collector.found


@cache
def english_interface_strings() -> frozenset[str]:
    """Every English msgstr of two or more words in the project's catalogues."""
    strings = set()
    for po in catalogues():
        if "/en/" not in po.as_posix():
            continue
        with po.open("rb") as handle:
            for message in read_po(handle):
                values = message.string if isinstance(message.string, tuple) else (message.string,)
                for value in values:
                    if value and len(value.split()) >= 2 and "%" not in value:
                        strings.add(value.strip())
    return frozenset(strings)


def other_language(html: str) -> list[str]:
    """Interface text on the page that is not in the page's language."""
    page_lang, found = texts(html)
    if page_lang == "en":
        return [text for lang, text in found if lang == "en" and THAI.search(text)]
    english = english_interface_strings()
    problems = []
    for lang, text in found:
        if lang != "th":
            continue
        if TWIN.search(text) or any(s in text for s in english if len(s) <= len(text)):
            problems.append(text)
    return problems


def assert_one_language(html: str, where: str = "") -> None:
    problems = other_language(html)
    assert not problems, f"{where}: interface text in the other language: {problems[:15]}"
