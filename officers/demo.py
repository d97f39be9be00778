"""Demo agencies, role groups and the demo accounts listed in DESIGN.md."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from . import roles
from .models import Agency, AgencyLevel, AgencySize, AgencyType, OfficerProfile

DEMO_PASSWORD = "demo-pass-2568"  # noqa: S105 - documented demo password

# code, name (th), name (en), level, type, size, parent code
AGENCIES = [
    (
        "MDES",
        "กระทรวงตัวอย่างดิจิทัล",
        "Demo Ministry of Digital Affairs",
        AgencyLevel.MINISTRY,
        AgencyType.CENTRAL,
        AgencySize.LARGE,
        None,
    ),
    (
        "A",
        "กรมตัวอย่าง ก",
        "Demo Department A",
        AgencyLevel.DEPARTMENT,
        AgencyType.CENTRAL,
        AgencySize.LARGE,
        "MDES",
    ),
    (
        "A-IT",
        "กองเทคโนโลยีสารสนเทศ กรม ก",
        "IT Division, Department A",
        AgencyLevel.DIVISION,
        AgencyType.CENTRAL,
        AgencySize.SMALL,
        "A",
    ),
    (
        "A-HR",
        "กองบริหารทรัพยากรบุคคล กรม ก",
        "HR Division, Department A",
        AgencyLevel.DIVISION,
        AgencyType.CENTRAL,
        AgencySize.SMALL,
        "A",
    ),
    (
        "B",
        "สำนักงานจังหวัดตัวอย่าง ข",
        "Demo Provincial Office B",
        AgencyLevel.DEPARTMENT,
        AgencyType.REGIONAL,
        AgencySize.SMALL,
        "MDES",
    ),
    (
        "OPDC",
        "สำนักงานคณะกรรมการพัฒนาระบบราชการ (ก.พ.ร.)",
        "Office of the Public Sector Development Commission (OPDC)",
        AgencyLevel.DEPARTMENT,
        AgencyType.CENTRAL,
        AgencySize.LARGE,
        None,
    ),
]

# username, first (th), last (th), title, agency code, groups, superuser
ACCOUNTS = [
    ("officer1", "สมชาย", "ใจดี", "นาย", "A-IT", [roles.OFFICER], False),
    ("officer2", "สมหญิง", "รักเรียน", "นางสาว", "A-HR", [roles.OFFICER], False),
    ("officer3", "ประเสริฐ", "มั่นคง", "นาย", "B", [roles.OFFICER], False),
    ("hr_a", "วิไล", "บุคคลดี", "นาง", "A", [roles.OFFICER, roles.AGENCY_HR], False),
    ("hr_b", "อนันต์", "ดูแลคน", "นาย", "B", [roles.OFFICER, roles.AGENCY_HR], False),
    ("editor_a", "กมล", "เล่าเรื่อง", "นางสาว", "A", [roles.OFFICER, roles.AGENCY_EDITOR], False),
    ("reviewer", "ปรีชา", "ตรวจดี", "นาย", "OPDC", [roles.CENTRAL_REVIEWER], False),
    ("admin", "ผู้ดูแล", "ระบบ", "", "OPDC", [roles.ADMINISTRATOR], True),
]


def _agency(code, name, name_en, level, agency_type, size, parent_code) -> Agency:
    existing = Agency.objects.filter(code=code).first()
    fields = {
        "name": name,
        "name_en": name_en,
        "level": level,
        "agency_type": agency_type,
        "size": size,
    }
    if existing:
        Agency.objects.filter(pk=existing.pk).update(**fields)
        return existing
    if parent_code is None:
        return Agency.add_root(code=code, **fields)
    parent = Agency.objects.get(code=parent_code)
    return parent.add_child(code=code, **fields)


@transaction.atomic
def seed(stdout=None) -> None:
    for row in AGENCIES:
        _agency(*row)
    access_admin = Permission.objects.get(
        codename="access_admin", content_type__app_label="wagtailadmin"
    )
    for role in roles.ALL_ROLES:
        group, _ = Group.objects.get_or_create(name=role)
        if role in roles.STAFF_ROLES:  # staff roles use the admin
            group.permissions.add(access_admin)
    User = get_user_model()
    for username, first, last, title, agency_code, groups, superuser in ACCOUNTS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "email": f"{username}@demo.example.go.th",
                "first_name": first,
                "last_name": last,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
        user.is_superuser = user.is_staff = superuser
        user.save()
        user.groups.add(*Group.objects.filter(name__in=groups))
        OfficerProfile.objects.update_or_create(
            user=user,
            defaults={
                "agency": Agency.objects.get(code=agency_code),
                "title_th": title,
                "first_name_th": first,
                "last_name_th": last,
            },
        )
    if stdout:
        stdout.write(f"  officers: {len(AGENCIES)} agencies, {len(ACCOUNTS)} demo accounts")
