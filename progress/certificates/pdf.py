"""The certificate PDF: A4 landscape, Sarabun with HarfBuzz shaping so Thai vowels and
tone marks sit in place, a QR code to the public verify page. Pure function of its data.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

# fontTools logs every subsetting step at INFO; keep worker logs readable.
logging.getLogger("fontTools").setLevel(logging.WARNING)


def font_dir() -> Path:
    """Sarabun from the fontpkg-sarabun wheel (so no system fonts are needed), unless
    CERTIFICATE_FONT_DIR names another directory."""
    if settings.CERTIFICATE_FONT_DIR:
        return Path(settings.CERTIFICATE_FONT_DIR)
    import fontpkg_sarabun

    return Path(fontpkg_sarabun.ROOT) / "files"


@dataclass(frozen=True)
class CertificateData:
    code: str
    name_th: str
    name_en: str
    course_title: str
    learning_hours: float
    date_th: str
    date_en: str
    verify_url: str
    issuer: str
    assisted: bool = False


def _qr_image(url: str):
    import qrcode

    qr = qrcode.QRCode(border=1, error_correction=qrcode.constants.ERROR_CORRECT_M)
    qr.add_data(url)
    qr.make(fit=True)
    return qr.make_image(fill_color="black", back_color="white").get_image()


def _hours(value: float) -> str:
    return f"{value:g}"


def render_certificate_pdf(data: CertificateData) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    fonts = font_dir()
    pdf.add_font("Sarabun", "", str(fonts / "Sarabun-Regular.ttf"))
    pdf.add_font("Sarabun", "B", str(fonts / "Sarabun-Bold.ttf"))
    pdf.set_text_shaping(True)
    pdf.set_title(f"ใบประกาศนียบัตร {data.course_title}")
    pdf.set_subject(data.code)
    pdf.set_keywords(f"certificate-code:{data.code}")
    pdf.set_creator(data.issuer)
    pdf.set_lang("th")
    pdf.add_page()
    w = pdf.w
    pdf.set_draw_color(30, 64, 120)
    pdf.set_line_width(1.2)
    pdf.rect(8, 8, w - 16, pdf.h - 16)
    pdf.set_line_width(0.3)
    pdf.rect(11, 11, w - 22, pdf.h - 22)

    def line(text: str, size: float, y: float, style: str = "", color=(20, 20, 20)):
        pdf.set_font("Sarabun", style, size)
        pdf.set_text_color(*color)
        pdf.set_xy(15, y)
        pdf.cell(w - 30, size * 0.5, text, align="C")

    line(data.issuer, 16, 22, color=(30, 64, 120))
    line("ใบประกาศนียบัตร", 34, 36, "B", (30, 64, 120))
    line("Certificate of Completion", 16, 52, color=(90, 90, 90))
    line("ขอมอบให้ไว้เพื่อแสดงว่า", 16, 66)
    line(data.name_th, 30, 78, "B")
    if data.name_en:
        line(data.name_en, 14, 94, color=(90, 90, 90))
    line("ได้ผ่านการเรียนรู้หลักสูตร", 16, 106)
    line(data.course_title, 22, 118, "B")
    # Why bilingual: the certificate is a document shown to third parties (like a Thai
    # university's certificate), so it is laid out deliberately in two languages: each
    # Thai line, then its English rendering beneath in smaller grey type; never one
    # "Thai / English" string. The web pages around it speak one language at a time.
    grey = (90, 90, 90)
    h = _hours(data.learning_hours)
    line(f"จำนวน {h} ชั่วโมงการเรียนรู้", 14, 131)
    line(f"{h} learning hours", 10, 138, color=grey)
    line(f"ให้ไว้ ณ วันที่ {data.date_th}", 14, 146)
    line(f"Awarded on {data.date_en}", 10, 153, color=grey)
    if data.assisted:
        line("บันทึกผลโดยเจ้าหน้าที่ (เรียนแบบมีผู้ช่วย)", 11, 160)
        line("Completion recorded by staff (assisted learning)", 9, 165, color=grey)

    pdf.image(_qr_image(data.verify_url), x=w - 55, y=pdf.h - 58, w=36, h=36)
    pdf.set_font("Sarabun", "", 10)
    pdf.set_text_color(60, 60, 60)
    pdf.set_xy(18, pdf.h - 40)
    pdf.multi_cell(
        w - 85,
        5,
        f"รหัสตรวจสอบ {data.code} ตรวจสอบได้ที่ {data.verify_url}\n"
        "เอกสารนี้ลงลายมือชื่ออิเล็กทรอนิกส์โดยระบบ (PAdES)",
    )
    pdf.set_font("Sarabun", "", 8)
    pdf.set_text_color(*grey)
    pdf.set_x(18)
    pdf.multi_cell(
        w - 85,
        4,
        f"Verification code {data.code}, verify at {data.verify_url}\n"
        "Digitally signed by the platform (PAdES)",
    )
    return bytes(pdf.output())
