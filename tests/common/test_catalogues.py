"""The catalogue compiler that set-up runs (Babel, no GNU gettext needed)."""

from __future__ import annotations

import gettext

from common import catalogues

PO = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "หน้าแรก"
msgstr "Home"

#, fuzzy
msgid "ค้นหา"
msgstr "Guess"

#, python-format
msgid "เหลือ %(days)s วัน"
msgstr "%(day)s days left"
"""


def _write(root, text=PO):
    folder = root / "app" / "locale" / "en" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    po = folder / "django.po"
    po.write_text(text, encoding="utf-8")
    return po


def test_compiles_to_a_catalogue_gettext_reads_and_leaves_fuzzy_out(tmp_path):
    po = _write(tmp_path)
    assert catalogues.compile_all(tmp_path) == [po.with_suffix(".mo")]
    with po.with_suffix(".mo").open("rb") as handle:
        translations = gettext.GNUTranslations(handle)
    assert translations.gettext("หน้าแรก") == "Home"
    assert translations.gettext("ค้นหา") == "ค้นหา"
    # Unchanged catalogues are not rewritten.
    assert catalogues.compile_all(tmp_path) == []


def test_check_reports_a_placeholder_the_translation_renamed(tmp_path):
    po = _write(tmp_path)
    found = catalogues.problems(po)
    assert len(found) == 1
    assert "days" in found[0] or "day" in found[0]


def test_the_project_catalogues_have_no_errors():
    assert [p for po in catalogues.catalogues() for p in catalogues.problems(po)] == []


def _thai_msgids_carrying_their_english():
    """(catalogue, msgid) where a Thai msgid already holds every English word of its own
    translation ("ระยะที่ 2 Integration" -> "Integration"): a half twin, which shows
    English on the Thai screen."""
    import re

    from babel.messages.pofile import read_po

    latin_word = re.compile(r"[A-Za-z]{3,}")
    found = []
    for po in catalogues.catalogues():
        if "/en/" not in po.as_posix():
            continue
        with po.open("rb") as handle:
            for message in read_po(handle):
                msgid = message.id[0] if isinstance(message.id, tuple) else message.id
                string = message.string[0] if isinstance(message.string, tuple) else message.string
                if not msgid or not string or not re.search(r"[\u0E00-\u0E7F]", msgid):
                    continue
                if " / " in msgid:  # an old twin kept for the history of migrations
                    continue
                words = latin_word.findall(string)
                if words and all(word in latin_word.findall(msgid) for word in words):
                    found.append(f"{po.relative_to(catalogues.ROOT)}: {msgid!r} -> {string!r}")
    return found


def test_no_thai_interface_string_carries_its_own_english():
    assert _thai_msgids_carrying_their_english() == []


def test_every_thai_interface_string_has_an_english_translation():
    assert catalogues.untranslated() == []


def test_untranslated_finds_a_thai_string_in_python_a_template_and_a_script(tmp_path):
    (tmp_path / "app" / "templates").mkdir(parents=True)
    (tmp_path / "app" / "views.py").write_text(
        'from django.utils.translation import gettext as _\nMSG = _("ยังไม่แปล")\nOK = _("แปลแล้ว")\n',
        encoding="utf-8",
    )
    (tmp_path / "app" / "templates" / "page.html").write_text(
        '{% load i18n %}<p>{% translate "ในแม่แบบ" %}</p>'
        "{% blocktranslate with n=count %}มี {{ n }} คน{% endblocktranslate %}",
        encoding="utf-8",
    )
    po = tmp_path / "app" / "locale" / "en" / "LC_MESSAGES"
    po.mkdir(parents=True)
    (po / "django.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "แปลแล้ว"\nmsgstr "Translated"\n\nmsgid "มี %(n)s คน"\nmsgstr "%(n)s people"\n',
        encoding="utf-8",
    )
    (tmp_path / "app" / "static" / "app").mkdir(parents=True)
    (tmp_path / "app" / "static" / "app" / "page.js").write_text(
        'el.textContent = gettext("แปลแล้ว");\nmore.textContent = gettext("ในสคริปต์");\n',
        encoding="utf-8",
    )
    missing = catalogues.untranslated(root=tmp_path)
    # The script's "แปลแล้ว" is missing too: scripts read the djangojs catalogue only.
    assert len(missing) == 4, missing
    assert any("page.js:1" in m and "แปลแล้ว" in m for m in missing)
    assert any("page.js:2" in m and "ในสคริปต์" in m for m in missing)
    assert "app/views.py:2: 'ยังไม่แปล'" in missing
    assert any("page.html" in m and "ในแม่แบบ" in m for m in missing)
