"""Stream blocks for lesson bodies and success stories."""

from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from common.bilingual import THAI, interface_is_english, one_language
from reference.provisions import section_shown

# The legal-basis box's standard statement: Thai, the English in the catalogue. A block
# stores the text as saved, so the standard statement may be stored in Thai, in English
# (an editor working in the English admin) or as the older "Thai / English" twin; any
# of these is shown in the interface language (``statement_shown``).
NO_LAW_CHANGE = _("ทำได้ตามกฎหมายที่มีอยู่ ไม่ต้องแก้กฎหมาย")
LEGACY_NO_LAW_CHANGE = (
    "ทำได้ตามกฎหมายที่มีอยู่ ไม่ต้องแก้กฎหมาย / Allowed under current law: no law change needed"
)


def _standard_forms() -> set[str]:
    forms = {LEGACY_NO_LAW_CHANGE}
    for code in ("th", "en"):
        with translation.override(code):
            forms.add(str(NO_LAW_CHANGE))
    return forms


def statement_shown(stored) -> tuple[str, str | None]:
    """(text, lang) of a legal-basis statement for the screen: the standard statement in
    the interface language; an editor's own text as written (a twin in one language),
    with ``lang="th"`` when it is Thai (the page may be in English)."""
    text = str(stored or "").strip()
    if not text or text in _standard_forms():
        return str(NO_LAW_CHANGE), None
    text = one_language(text)
    return text, ("th" if THAI.search(text) else None)


def provision_shown(provision) -> dict:
    """A provision in the interface language: the law's English name on an English page
    ("มาตรา 9" as "section 9"); the summary stays as written (Thai)."""
    english = interface_is_english() and provision.law_name_en
    section = provision.section.strip()
    if not english:
        return {"name": f"{provision.law_name_th} {section}".strip(), "lang": "th",
                "section": "", "section_lang": None, "provision": provision}  # fmt: skip
    section, section_lang = section_shown(section)
    return {"name": provision.law_name_en, "lang": None, "section": section,
            "section_lang": section_lang, "provision": provision}  # fmt: skip


class TextBlock(blocks.RichTextBlock):
    class Meta:
        icon = "doc-full"
        template = "courses/blocks/text.html"
        preview_value = "<p>ส่วนราชการรับคำขอทางอิเล็กทรอนิกส์ได้ตามกฎหมายที่มีอยู่</p>"


class LegalBasisBlock(blocks.StructBlock):
    """Names the provisions a practice rests on and states that no law change is needed."""

    provisions = blocks.ListBlock(
        SnippetChooserBlock("reference.LegalProvision"),
        label=_("บทบัญญัติที่อ้างอิง"),
        min_num=1,
    )
    statement = blocks.CharBlock(
        label=_("ข้อความ"),
        default=NO_LAW_CHANGE,
        max_length=255,
    )
    assisted_path = blocks.BooleanBlock(
        label=_("ยังเปิดช่องทางแบบเดิมให้ประชาชนเลือกได้ (Digital First ไม่ใช่ Digital Only)"),
        required=False,
        default=True,
    )

    class Meta:
        icon = "pick"
        label = _("ฐานทางกฎหมาย")
        template = "courses/blocks/legal_basis.html"
        preview_value = {"provisions": [], "statement": NO_LAW_CHANGE, "assisted_path": True}
        preview_description = _("กล่องระบุมาตราที่อนุญาตให้ทำได้")

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["statement"], context["statement_lang"] = statement_shown(value.get("statement"))
        context["provisions"] = [provision_shown(p) for p in value.get("provisions") or [] if p]
        return context


class ResourceBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("เอกสาร"))
    description = blocks.CharBlock(label=_("คำอธิบาย"), required=False)


class ResourcesBlock(blocks.ListBlock):
    """Downloadable documents (templates, forms, regulations) for a lesson."""

    def __init__(self, **kwargs):
        super().__init__(ResourceBlock(), **kwargs)

    class Meta:
        icon = "download"
        label = _("เอกสารดาวน์โหลด")
        template = "courses/blocks/resources.html"
        preview_value = []


class FigureRowBlock(blocks.StructBlock):
    """One before/after figure of a success story (e.g. days to issue a transcript)."""

    label = blocks.CharBlock(label=_("ตัวชี้วัด"), max_length=120)
    before = blocks.DecimalBlock(label=_("ก่อน"))
    after = blocks.DecimalBlock(label=_("หลัง"))
    unit = blocks.CharBlock(label=_("หน่วย"), max_length=40, required=False)

    class Meta:
        icon = "table"
        label = _("ตัวเลขก่อน/หลัง")
        template = "courses/blocks/figure_row.html"
        preview_value = {"label": "วันที่ใช้ออกใบรับรอง", "before": 7, "after": 1, "unit": "วัน"}
