"""Stream blocks for lesson bodies and success stories."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

NO_LAW_CHANGE = "ทำได้ตามกฎหมายที่มีอยู่ ไม่ต้องแก้กฎหมาย / Allowed under current law: no law change needed"


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
        label=_(
            "ยังเปิดช่องทางแบบเดิมให้ประชาชนเลือกได้ (Digital First, not Digital Only) / "
            "keeps a non-electronic option open"
        ),
        required=False,
        default=True,
    )

    class Meta:
        icon = "pick"
        label = _("ฐานทางกฎหมาย")
        template = "courses/blocks/legal_basis.html"
        preview_value = {"provisions": [], "statement": NO_LAW_CHANGE, "assisted_path": True}
        preview_description = _("กล่องระบุมาตราที่อนุญาตให้ทำได้")


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
