"""Legal provisions as the interface language says them: on an English page the law's
English name and "section 12, last paragraph" for "มาตรา 12 วรรคท้าย"; on a Thai page
as stored. Used by the lesson's legal-basis box (courses) and quiz feedback (quizzes)."""

from __future__ import annotations

import re

from django.utils.translation import gettext

from common.bilingual import THAI, interface_is_english

SECTION = re.compile(
    r"^มาตรา\s*(?P<number>[0-9๐-๙]+(?:\s*(?:/|ทวิ|ตรี)\s*[0-9๐-๙]*)?)"
    r"(?:\s*\((?P<item>[0-9๐-๙]+)\))?"
    r"(?:\s*วรรค\s*(?P<paragraph>ท้าย|หนึ่ง|สอง|สาม|สี่|ห้า|[0-9๐-๙]+))?$"
)
PARAGRAPH = {"หนึ่ง": "1", "สอง": "2", "สาม": "3", "สี่": "4", "ห้า": "5"}
THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def section_shown(section: str) -> tuple[str, str | None]:
    """A section as the English page says it ("มาตรา 12 (4)" as "section 12(4)", "มาตรา 12
    วรรคท้าย" as "section 12, last paragraph"), with its lang; a form the pattern does
    not know stays as written, marked Thai."""
    match = SECTION.match(section)
    if not match:
        return section, ("th" if THAI.search(section) else None)
    number = match["number"].translate(THAI_DIGITS)
    number = re.sub(r"\s*/\s*", "/", number.replace("ทวิ", " bis").replace("ตรี", " ter"))
    number = " ".join(number.split())
    if match["item"]:
        number += f"({match['item'].translate(THAI_DIGITS)})"
    paragraph = match["paragraph"]
    if paragraph == "ท้าย":
        return gettext("มาตรา %(number)s วรรคท้าย") % {"number": number}, None
    if paragraph:
        paragraph = PARAGRAPH.get(paragraph, paragraph).translate(THAI_DIGITS)
        return gettext("มาตรา %(number)s วรรค %(paragraph)s") % {
            "number": number,
            "paragraph": paragraph,
        }, None
    return gettext("มาตรา %(number)s") % {"number": number}, None


def provision_title(provision) -> tuple[str, str | None]:
    """The law's name and section in the interface language, with the lang to mark it:
    English where the page is English and the law has an English name, else Thai."""
    section = provision.section.strip()
    english = interface_is_english() and provision.law_name_en
    if not english:
        return f"{provision.law_name_th} {section}".strip(), "th"
    shown, lang = section_shown(section) if section else ("", None)
    if lang:  # an unknown Thai form beside the English name: the whole title stays Thai
        return f"{provision.law_name_th} {section}".strip(), "th"
    return f"{provision.law_name_en} {shown}".strip(), None
