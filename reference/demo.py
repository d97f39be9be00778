"""Demo reference data: laws and the provisions that permit digital practice, tool
topics, the OCSC skill areas. Idempotent (matched by slug or law and section)."""

from __future__ import annotations

from django.db import transaction

from .models import LegalProvision, SkillArea, SkillKind, ToolTopic

ETA = ("พระราชบัญญัติว่าด้วยธุรกรรมทางอิเล็กทรอนิกส์ พ.ศ. 2544", "Electronic Transactions Act B.E. 2544")
DGA = (
    "พระราชบัญญัติการบริหารงานและการให้บริการภาครัฐผ่านระบบดิจิทัล พ.ศ. 2562",
    "Digital Government Administration and Services Act B.E. 2562",
)
EGA = (
    "พระราชบัญญัติการปฏิบัติราชการทางอิเล็กทรอนิกส์ พ.ศ. 2565",
    "Act on Electronic Government Administration B.E. 2565",
)
CSA = ("พระราชบัญญัติการรักษาความมั่นคงปลอดภัยไซเบอร์ พ.ศ. 2562", "Cybersecurity Act B.E. 2562")
PDPA = (
    "พระราชบัญญัติคุ้มครองข้อมูลส่วนบุคคล พ.ศ. 2562",
    "Personal Data Protection Act B.E. 2562",
)
ETA_2562 = (
    "พระราชบัญญัติว่าด้วยธุรกรรมทางอิเล็กทรอนิกส์ (ฉบับที่ 4) พ.ศ. 2562",
    "Electronic Transactions Act (No. 4) B.E. 2562",
)
CORRESPONDENCE = (
    "ระเบียบสำนักนายกรัฐมนตรีว่าด้วยงานสารบรรณ (ฉบับที่ 4) พ.ศ. 2564",
    "PM Office Regulation on Correspondence (No. 4) B.E. 2564",
)
E_MEETING = (
    "พระราชกำหนดว่าด้วยการประชุมผ่านสื่ออิเล็กทรอนิกส์ พ.ศ. 2563",
    "Emergency Decree on Electronic Meetings B.E. 2563",
)

# key: (law, section, plain-language summary)
PROVISIONS = {
    "eta-7": (ETA, "มาตรา 7", "ข้อมูลอิเล็กทรอนิกส์มีผลทางกฎหมายเช่นเดียวกับกระดาษ"),
    "eta-8": (ETA, "มาตรา 8", "ข้อมูลอิเล็กทรอนิกส์ถือว่าเป็นหนังสือหรือลายลักษณ์อักษรได้"),
    "eta-9": (ETA, "มาตรา 9", "ลายมือชื่ออิเล็กทรอนิกส์ใช้แทนการลงลายมือชื่อบนกระดาษได้"),
    "eta-26": (ETA, "มาตรา 26", "ลายมือชื่ออิเล็กทรอนิกส์ที่เชื่อถือได้มีน้ำหนักเป็นพยานหลักฐานสูง"),
    "eta-2562": (ETA_2562, "", "รองรับการพิสูจน์และยืนยันตัวตนทางดิจิทัลผ่านระบบที่เชื่อถือได้"),
    "dga-4": (DGA, "มาตรา 4", "นิยามข้อมูลเปิดภาครัฐที่ประชาชนเข้าถึงและนำไปใช้ได้อย่างเสรี"),
    "dga-11": (DGA, "มาตรา 11", "หน่วยงานต้องเชื่อมโยงข้อมูลกัน ไม่ให้ประชาชนกรอกข้อมูลซ้ำ"),
    "dga-12-4": (DGA, "มาตรา 12 (4)", "หน่วยงานจัดให้มีการพิสูจน์และยืนยันตัวตนทางดิจิทัล"),
    "dga-12-5": (DGA, "มาตรา 12 (5)", "หน่วยงานจัดให้มีระบบรักษาความมั่นคงปลอดภัยไซเบอร์"),
    "dga-12-last": (
        DGA,
        "มาตรา 12 วรรคท้าย",
        "ห้ามเรียกสำเนาเอกสารที่หน่วยงานของรัฐออกให้เอง เช่น สำเนาบัตรประชาชนและทะเบียนบ้าน",
    ),
    "dga-17-18": (DGA, "มาตรา 17-18", "หน่วยงานเปิดเผยข้อมูลในรูปแบบดิจิทัลเป็นข้อมูลเปิด"),
    "ega-7": (EGA, "มาตรา 7", "หน่วยงานปฏิเสธคำขอหรือการชำระเงินทางอิเล็กทรอนิกส์ไม่ได้"),
    "ega-8-9": (EGA, "มาตรา 8-9", "ตรวจสอบตัวตนผู้ยื่นคำขอทางอิเล็กทรอนิกส์ได้"),
    "ega-12": (EGA, "มาตรา 12", "ใช้ข้อมูลที่หน่วยงานมีอยู่แล้วแทนการเรียกเอกสารจากประชาชน"),
    "ega-15-17": (EGA, "มาตรา 15-17", "คำสั่งและเอกสารภายในภาครัฐทำเป็นอิเล็กทรอนิกส์ได้"),
    "csa": (CSA, "", "กรอบการรักษาความมั่นคงปลอดภัยไซเบอร์ของหน่วยงาน"),
    "pdpa-37": (PDPA, "มาตรา 37", "ผู้ควบคุมข้อมูลต้องมีมาตรการรักษาความมั่นคงปลอดภัยที่เหมาะสม"),
    "correspondence-4": (CORRESPONDENCE, "", "ใช้ไปรษณีย์อิเล็กทรอนิกส์เป็นหนังสือราชการได้"),
    "e-meeting": (E_MEETING, "", "การประชุมผ่านสื่ออิเล็กทรอนิกส์มีผลตามกฎหมาย"),
}

# slug, name (th), name (en), description, provision keys
TOOL_TOPICS = [
    (
        "digital-id",
        "การพิสูจน์และยืนยันตัวตนทางดิจิทัล",
        "Digital ID",
        "เข้าสู่ระบบบริการภาครัฐด้วย ThaID แทนการมาแสดงตัวที่สำนักงาน",
        ["dga-12-4", "ega-8-9", "eta-2562"],
    ),
    (
        "open-data",
        "ข้อมูลเปิดภาครัฐ",
        "Open Data",
        "เผยแพร่บัญชีข้อมูลของหน่วยงานบน data.go.th (CKAN)",
        ["dga-4", "dga-17-18"],
    ),
    (
        "one-time-data-entry",
        "กรอกข้อมูลครั้งเดียว",
        "One Time Data Entry",
        "เลิกเรียกสำเนาบัตรประชาชนและทะเบียนบ้านจากประชาชน",
        ["dga-11", "dga-12-last", "ega-12"],
    ),
    (
        "cyber-security",
        "ความมั่นคงปลอดภัยไซเบอร์",
        "Cyber Security",
        "เข้าสู่ระบบสองขั้นตอนสำหรับระบบบัญชีข้อมูล",
        ["dga-12-5", "csa", "pdpa-37"],
    ),
    (
        "digital-signature",
        "ลายมือชื่ออิเล็กทรอนิกส์",
        "Digital Signature",
        "ใบแสดงผลการศึกษาที่ลงลายมือชื่อดิจิทัล",
        ["eta-9", "eta-26", "ega-7"],
    ),
    (
        "digital-document",
        "เอกสารอิเล็กทรอนิกส์",
        "Digital Document",
        "ใช้อีเมลเป็นหนังสือราชการ และประชุมออนไลน์อย่างถูกกฎหมาย",
        ["eta-7", "eta-8", "ega-15-17", "correspondence-4", "e-meeting"],
    ),
]

SKILL_AREAS = [
    ("digital-literacy", "การรู้ดิจิทัล", "Digital Literacy", SkillKind.CORE),
    ("digital-governance", "การกำกับดูแลดิจิทัล", "Digital Governance", SkillKind.CORE),
    ("digital-leadership", "ภาวะผู้นำดิจิทัล", "Digital Leadership", SkillKind.CORE),
    ("digital-technology", "เทคโนโลยีดิจิทัล", "Digital Technology", SkillKind.ELECTIVE),
    ("digital-service", "การบริการดิจิทัล", "Digital Service", SkillKind.ELECTIVE),
    (
        "data-utilization",
        "การใช้และแบ่งปันข้อมูล",
        "Data Utilization & Sharing",
        SkillKind.ELECTIVE,
    ),
    ("cyber-security", "ความมั่นคงปลอดภัยไซเบอร์", "Cyber Security", SkillKind.ELECTIVE),
]


def _say(stdout, text: str) -> None:
    if stdout:
        stdout.write(text)


@transaction.atomic
def seed(stdout=None) -> None:
    provisions = {}
    for key, ((law_th, law_en), section, summary) in PROVISIONS.items():
        provisions[key], _ = LegalProvision.objects.update_or_create(
            law_name_th=law_th,
            section=section,
            defaults={"law_name_en": law_en, "summary": summary},
        )
    for slug, name_th, name_en, description, keys in TOOL_TOPICS:
        topic, _ = ToolTopic.objects.update_or_create(
            slug=slug,
            defaults={"name_th": name_th, "name_en": name_en, "description": description},
        )
        topic.provisions.set([provisions[k] for k in keys])
    for slug, name_th, name_en, kind in SKILL_AREAS:
        SkillArea.objects.update_or_create(
            slug=slug, defaults={"name_th": name_th, "name_en": name_en, "kind": kind}
        )
    _say(
        stdout,
        f"  reference: {len(TOOL_TOPICS)} tool topics, {len(PROVISIONS)} provisions, "
        f"{len(SKILL_AREAS)} skill areas",
    )
