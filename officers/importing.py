"""HR-file import of officers from CSV or XLSX with DPIS-like (Thai or English) headers.

A dry run validates every row and reports row-by-row errors; apply re-validates and
writes everything in one transaction, or nothing. Rows are matched on username, so a
re-import updates profiles in place (one officer, one account).

Account lifecycle (officers only; staff accounts stay with administrators): a row whose
status says the officer left, or (with ``deactivate_missing``) an officer of a unit the
file lists who is absent from it, is deactivated and their sessions end; a row naming
another unit of the importer's subtree moves the officer; an officer the sending agency
marked transferred out may be taken by the receiving agency's file. Each change is an
audit entry.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from common.jobs import job_state
from common.private_files import private_storage
from reference.models import RoleLevel

from . import roles
from .models import (
    Agency,
    AuditAction,
    HrStatus,
    ImportJob,
    ImportJobStatus,
    ItGroup,
    OfficerProfile,
    PositionLevel,
    StaffKind,
    citizen_id_is_valid,
)
from .pid import pid_hash
from .scoping import agencies_visible_to, officers_visible_to, user_holds_staff_role
from .services import audit_record, officer_email_change

# Accepted header spellings (lower-cased, spaces collapsed) -> field.
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "username": ("username", "ชื่อผู้ใช้", "รหัสผู้ใช้"),
    "title_th": ("title", "คำนำหน้า", "คำนำหน้าชื่อ"),
    "rank_title": ("rank", "ยศ", "ยศ/ตำแหน่งทางวิชาการ", "ตำแหน่งทางวิชาการ"),
    "first_name_th": ("first_name_th", "ชื่อ", "ชื่อ (ไทย)"),
    "last_name_th": ("last_name_th", "นามสกุล", "นามสกุล (ไทย)"),
    "first_name_en": ("first_name_en", "ชื่อ (อังกฤษ)", "ชื่อภาษาอังกฤษ"),
    "last_name_en": ("last_name_en", "นามสกุล (อังกฤษ)", "นามสกุลภาษาอังกฤษ"),
    "email": ("email", "e-mail", "อีเมล", "อีเมล์"),
    "phone": ("phone", "โทรศัพท์", "เบอร์โทรศัพท์"),
    "citizen_id": ("citizen_id", "เลขประจำตัวประชาชน", "เลขบัตรประชาชน"),
    "agency_code": ("agency_code", "unit", "รหัสหน่วยงาน", "หน่วยงาน"),
    "province": ("province", "จังหวัด"),
    "staff_kind": ("staff_kind", "ประเภทบุคลากร"),
    "position_name": ("position_name", "position", "ตำแหน่ง", "ชื่อตำแหน่ง"),
    "position_level": ("position_level", "level", "ระดับ", "ระดับตำแหน่ง"),
    "it_group": ("it_group", "สายงาน it", "กลุ่มสายงาน"),
    "role_level": ("role_level", "ระดับบทบาท"),
    "supervisor": ("supervisor", "supervisor_username", "ผู้บังคับบัญชา"),
    "hr_status": ("status", "hr_status", "สถานะ", "สถานะการปฏิบัติราชการ"),
}
MAX_COLUMNS = 64
REQUIRED = ("username", "first_name_th", "last_name_th", "agency_code")


def _norm(text: str) -> str:
    return " ".join(str(text or "").strip().lower().split())


HEADER_LOOKUP = {
    _norm(alias): name for name, aliases in HEADER_ALIASES.items() for alias in aliases
}


def _choice_lookup(choices) -> dict[str, str]:
    """Accept the code, the Thai label or the English label of a choice."""
    out = {}
    for value, label in choices:
        out[_norm(value)] = value
        for part in str(label).split("/"):
            out[_norm(part)] = value
    return out


STAFF_KINDS = _choice_lookup(StaffKind.choices)
IT_GROUPS = {**_choice_lookup(ItGroup.choices), "it": "it", "non-it": "non_it", "non it": "non_it"}
ROLE_LEVELS = _choice_lookup(RoleLevel.choices)
LEVELS = {v: v for v in PositionLevel.values}
HR_STATUSES = {
    **_choice_lookup(HrStatus.choices),
    "ปกติ": HrStatus.ACTIVE,
    "ลาออก": HrStatus.LEFT,
    "เกษียณ": HrStatus.LEFT,
    "เกษียณอายุราชการ": HrStatus.LEFT,
    "พ้นจากราชการ": HrStatus.LEFT,
    "โอนออก": HrStatus.TRANSFERRED_OUT,
    "transferred out": HrStatus.TRANSFERRED_OUT,
}


MSG_NOT_AN_OFFICER = _("มีบัญชีชื่อนี้อยู่แล้วแต่ไม่ใช่เจ้าหน้าที่ที่นำเข้าจากไฟล์ HR ไฟล์นี้จึงแก้ไขบัญชีนี้ไม่ได้")
MSG_STAFF_ACCOUNT = _(
    "บัญชีนี้มีบทบาทผู้ดูแล (บรรณาธิการ ผู้ตรวจ HR หรือผู้ดูแลระบบ) ผู้ดูแลระบบเท่านั้นที่แก้ไขได้ ไฟล์ HR แก้ไขไม่ได้"
)


MSG_OTHER_AGENCY = _("ไม่มีสิทธิ์แก้ไขผู้ใช้นี้ เจ้าหน้าที่อยู่ในหน่วยงานอื่น")
MSG_TRANSFER_NEW = _("เจ้าหน้าที่ที่ยังไม่อยู่ในระบบจะโอนย้ายออกไม่ได้")

MSG_TOO_MANY_ROWS = _("ไฟล์มีแถวมากเกินไป (ไม่เกิน %(max)s แถว)")
MSG_TOO_LARGE = _("ไฟล์ใหญ่เกินไป (ไม่เกิน %(max)s ไบต์)")


class ImportFileError(ValueError):
    """The file itself cannot be read (not a row problem)."""


@dataclass
class RowError:
    row: int
    field: str
    message: str


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    deactivated: int = 0
    applied: bool = False
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict:
        return {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "deactivated": self.deactivated,
            "applied": self.applied,
            "errors": [e.__dict__ for e in self.errors],
        }


def read_table(data: bytes, filename: str) -> list[dict[str, str]]:
    """Rows of a CSV (UTF-8, with or without BOM) or XLSX file, keyed by field name."""
    name = filename.lower()
    if len(data) > settings.OFFICERS_IMPORT_MAX_BYTES:
        raise ImportFileError(MSG_TOO_LARGE % {"max": settings.OFFICERS_IMPORT_MAX_BYTES})
    # Why islice: the row cap is enforced while reading, so a small file that expands to
    # millions of rows never reaches memory (header + cap + 1 to detect the overflow).
    limit = settings.OFFICERS_IMPORT_MAX_ROWS + 2
    try:
        if name.endswith(".xlsx"):
            from openpyxl import load_workbook

            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                raw = [
                    ["" if c is None else str(c).strip() for c in row[:MAX_COLUMNS]]
                    for row in itertools.islice(wb.active.iter_rows(values_only=True), limit)
                ]
            finally:
                wb.close()
        elif name.endswith(".csv") or name.endswith(".txt"):
            reader = csv.reader(io.StringIO(data.decode("utf-8-sig")))
            raw = [row[:MAX_COLUMNS] for row in itertools.islice(reader, limit)]
        else:
            raise ImportFileError(str(_("รองรับเฉพาะไฟล์ CSV หรือ XLSX")))
    except ImportFileError:
        raise
    except Exception as exc:  # noqa: BLE001 - any parser failure is a bad upload, not a 500
        raise ImportFileError(
            _("อ่านไฟล์ไม่ได้ (%(error)s)") % {"error": exc.__class__.__name__}
        ) from exc
    if not raw:
        raise ImportFileError(str(_("ไฟล์ว่าง")))
    if len(raw) >= limit:
        raise ImportFileError(MSG_TOO_MANY_ROWS % {"max": settings.OFFICERS_IMPORT_MAX_ROWS})
    header = [HEADER_LOOKUP.get(_norm(h)) for h in raw[0]]
    missing = [f for f in REQUIRED if f not in header]
    if missing:
        raise ImportFileError(_("ไม่พบคอลัมน์ที่จำเป็น: %(columns)s") % {"columns": ", ".join(missing)})
    rows = []
    for values in raw[1:]:
        if not any(str(v).strip() for v in values):
            continue
        rows.append(
            {
                key: str(values[i]).strip() if i < len(values) else ""
                for i, key in enumerate(header)
                if key
            }
        )
    return rows


def _validate_row(num: int, row: dict, agencies: dict[str, Agency], errors: list[RowError]):
    clean = dict(row)

    def err(field_name: str, message: str) -> None:
        errors.append(RowError(num, field_name, message))

    for name in REQUIRED:
        if not row.get(name):
            err(name, str(_("ต้องระบุ")))
    code = row.get("agency_code", "")
    if code and code not in agencies:
        err("agency_code", _("ไม่พบหน่วยงาน '%(code)s'") % {"code": code})
    cid = row.get("citizen_id", "").replace("-", "").replace(" ", "")
    clean["citizen_id"] = cid
    if cid and not citizen_id_is_valid(cid):
        err("citizen_id", str(_("เลขประจำตัวประชาชนไม่ถูกต้อง")))
    if row.get("email"):
        try:
            validate_email(row["email"])
        except ValidationError:
            err("email", str(_("อีเมลไม่ถูกต้อง")))
    level = row.get("position_level", "").upper()
    if level and level not in LEVELS:
        err("position_level", _("ระดับไม่ถูกต้อง '%(level)s' (M1..O4)") % {"level": level})
    clean["position_level"] = level
    for name, lookup, default in (
        ("staff_kind", STAFF_KINDS, StaffKind.CIVIL_SERVANT),
        ("it_group", IT_GROUPS, ItGroup.NON_IT),
        ("role_level", ROLE_LEVELS, RoleLevel.OPERATIONAL),
        ("hr_status", HR_STATUSES, HrStatus.ACTIVE),
    ):
        value = row.get(name, "")
        if value and _norm(value) not in lookup:
            err(name, _("ค่าไม่ถูกต้อง '%(value)s'") % {"value": value})
        clean[name] = lookup.get(_norm(value), default) if value else default
    return clean


def _validate(rows: list[dict], importer) -> tuple[list[dict], list[RowError], dict]:
    errors: list[RowError] = []
    agencies = {a.code: a for a in agencies_visible_to(importer)}
    User = get_user_model()
    usernames = [r.get("username", "") for r in rows]
    existing = {
        u.username: u
        for u in User.objects.filter(username__in=usernames)
        .select_related("officer_profile__agency")
        .prefetch_related("groups")
    }
    for u in existing.values():
        u._officer_role_names = {g.name for g in u.groups.all()}
    visible_ids = {a.pk for a in agencies.values()}
    seen_users: dict[str, int] = {}
    seen_cids: dict[str, int] = {}
    cleaned = []
    for num, row in enumerate(rows, start=2):  # row 1 is the header
        clean = _validate_row(num, row, agencies, errors)
        username = clean.get("username", "")
        if username in seen_users:
            errors.append(
                RowError(
                    num,
                    "username",
                    _("ซ้ำกับแถว %(row)s") % {"row": seen_users[username]},
                )
            )
        seen_users.setdefault(username, num)
        cid = clean.get("citizen_id")
        if cid:
            if cid in seen_cids:
                errors.append(
                    RowError(
                        num,
                        "citizen_id",
                        _("ซ้ำกับแถว %(row)s") % {"row": seen_cids[cid]},
                    )
                )
            seen_cids.setdefault(cid, num)
        user = existing.get(username)
        profile = getattr(user, "officer_profile", None) if user else None
        # Why: an HR file may only create officers or update officers of the importer's
        # subtree; any other account (no profile, staff roles) is an administrator's.
        if user is not None and profile is None:
            errors.append(RowError(num, "username", str(MSG_NOT_AN_OFFICER)))
        elif user is not None and user_holds_staff_role(user):
            errors.append(RowError(num, "username", str(MSG_STAFF_ACCOUNT)))
        elif profile and profile.agency_id not in visible_ids:
            # Why: another agency's officer is taken only after their own HR marked them
            # transferred out, and only to be an active officer here (never marked left).
            takes_transfer = (
                profile.hr_status == HrStatus.TRANSFERRED_OUT
                and clean.get("hr_status") == HrStatus.ACTIVE
            )
            if not takes_transfer:
                errors.append(RowError(num, "username", str(MSG_OTHER_AGENCY)))
        elif profile is None and clean.get("hr_status") == HrStatus.TRANSFERRED_OUT:
            errors.append(RowError(num, "hr_status", str(MSG_TRANSFER_NEW)))
        cleaned.append(clean)
    if seen_cids:
        by_hash = {pid_hash(cid): cid for cid in seen_cids if citizen_id_is_valid(cid)}
        taken = OfficerProfile.objects.filter(citizen_id_hash__in=list(by_hash)).values_list(
            "citizen_id_hash", "user__username"
        )
        for digest, owner in taken:
            num = seen_cids[by_hash[digest]]
            if cleaned[num - 2].get("username") != owner:
                errors.append(
                    RowError(
                        num,
                        "citizen_id",
                        str(_("เลขประจำตัวประชาชนซ้ำกับผู้ใช้อื่น")),
                    )
                )
    # A supervisor is someone in this file or an officer of the importer's own subtree
    # (reminders for overdue officers are copied to them).
    known_sups = set(seen_users) | set(
        officers_visible_to(importer)
        .filter(user__username__in=[c.get("supervisor") for c in cleaned if c.get("supervisor")])
        .values_list("user__username", flat=True)
    )
    for num, clean in enumerate(cleaned, start=2):
        sup = clean.get("supervisor")
        if sup and sup not in known_sups:
            errors.append(
                RowError(num, "supervisor", _("ไม่พบผู้บังคับบัญชา '%(username)s'") % {"username": sup})
            )
        if sup and sup == clean.get("username"):
            errors.append(RowError(num, "supervisor", str(_("ต้องไม่ใช่ตนเอง"))))
    errors.sort(key=lambda e: (e.row, e.field))
    return cleaned, errors, agencies


PROFILE_FIELDS = (
    "title_th",
    "rank_title",
    "first_name_th",
    "last_name_th",
    "first_name_en",
    "last_name_en",
    "email",
    "phone",
    "province",
    "staff_kind",
    "position_name",
    "position_level",
    "it_group",
    "role_level",
)


def _missing_officers(cleaned: list[dict], agencies: dict[str, Agency], importer) -> list:
    """Active officers of the units this file lists who are absent from it: only those
    exact units, only within the importer's subtree, never a staff account, never one
    already released as transferred out."""
    units = {agencies[c["agency_code"]].pk for c in cleaned if c.get("agency_code") in agencies}
    listed = {c.get("username") for c in cleaned}
    candidates = (
        officers_visible_to(importer)
        .filter(agency_id__in=units, user__is_active=True)
        .exclude(user__username__in=listed)
        .exclude(hr_status=HrStatus.TRANSFERRED_OUT)  # released to the receiving agency
        .select_related("user")
        .prefetch_related("user__groups")
    )
    out = []
    for profile in candidates:
        profile.user._officer_role_names = {g.name for g in profile.user.groups.all()}
        if not user_holds_staff_role(profile.user):
            out.append(profile)
    return out


def sessions_end(user_ids: Iterable[int]) -> int:
    """End every live session of these accounts, through the sign-in index
    (officers.sessions), not by reading every session in the store."""
    from .sessions import sessions_of_end

    return sum(sessions_of_end(user_id) for user_id in set(user_ids))


def officer_deactivate(*, profile: OfficerProfile, actor, reason: str) -> None:
    """A leaver: account off, HR status left, sessions ended, audited."""
    user = profile.user
    user.is_active = False
    user.save(update_fields=["is_active"])
    profile.hr_status = HrStatus.LEFT
    profile.save(update_fields=["hr_status", "updated_at"])
    sessions_end([user.pk])
    audit_record(
        actor=actor,
        action=AuditAction.LEAVE,
        what=_("ปิดบัญชี %(username)s (%(reason)s)") % {"username": user.username, "reason": reason},
        subject=user,
        scope=profile.agency.code,
    )


def officers_import(
    *,
    rows: list[dict[str, str]],
    importer,
    dry_run: bool = True,
    progress: Callable[[int, int], None] | None = None,
    deactivate_missing: bool = False,
) -> ImportReport:
    """Validate (dry run) or validate and apply all rows in one transaction.

    ``deactivate_missing`` (a full file): the active officers of the units the file
    lists who are absent from it leave (see ``_missing_officers``)."""
    if len(rows) > settings.OFFICERS_IMPORT_MAX_ROWS:
        raise ImportFileError(MSG_TOO_MANY_ROWS % {"max": settings.OFFICERS_IMPORT_MAX_ROWS})
    cleaned, errors, agencies = _validate(rows, importer)
    report = ImportReport(rows=len(rows), errors=errors)
    existing = set(
        OfficerProfile.objects.filter(
            user__username__in=[c["username"] for c in cleaned]
        ).values_list("user__username", flat=True)
    )
    report.updated = len(existing)
    report.created = len(cleaned) - report.updated
    missing = _missing_officers(cleaned, agencies, importer) if deactivate_missing else []
    report.deactivated = len(missing) + sum(
        1 for c in cleaned if c.get("hr_status") == HrStatus.LEFT
    )
    if dry_run or errors:
        return report
    with transaction.atomic():
        _apply(cleaned, agencies, progress, importer)
        for profile in missing:
            officer_deactivate(
                profile=profile, actor=importer, reason=str(_("ไม่อยู่ในไฟล์ HR ฉบับเต็ม"))
            )
    report.applied = True
    audit_record(
        actor=importer,
        action=AuditAction.IMPORT,
        what=f"นำเข้าไฟล์ HR {report.rows} แถว (ใหม่ {report.created} แก้ไข {report.updated})",
        subject=None,
        scope="",
    )
    return report


@transaction.atomic
def _apply(cleaned: list[dict], agencies: dict[str, Agency], progress, importer) -> None:
    User = get_user_model()
    officer_group, _created = Group.objects.get_or_create(name=roles.OFFICER)
    profiles: dict[str, OfficerProfile] = {}
    total = len(cleaned)
    for i, row in enumerate(cleaned, start=1):
        user, created = User.objects.get_or_create(
            username=row["username"],
            defaults={"email": row.get("email", "")},
        )
        if created:
            user.set_unusable_password()
        user.first_name = row["first_name_th"]
        user.last_name = row["last_name_th"]
        user.save(update_fields=["first_name", "last_name"])
        if not created and row.get("email") and row["email"] != user.email:
            officer_email_change(user=user, email=row["email"], actor=importer)
        if created:
            user.groups.add(officer_group)
        before = (
            None
            if created
            else OfficerProfile.objects.filter(user=user).select_related("agency").first()
        )
        defaults = {name: row.get(name, "") for name in PROFILE_FIELDS}
        defaults["agency"] = agencies[row["agency_code"]]
        cid = row.get("citizen_id", "")
        defaults["citizen_id_hash"] = pid_hash(cid) if cid else ""
        defaults["citizen_id_last4"] = cid[-4:] if cid else ""
        status = row.get("hr_status", HrStatus.ACTIVE)
        if status != HrStatus.LEFT:
            defaults["hr_status"] = status
        profile, _created = OfficerProfile.objects.update_or_create(user=user, defaults=defaults)
        profiles[row["username"]] = profile
        _lifecycle(user=user, before=before, profile=profile, status=status, importer=importer)
        if progress and (i % 100 == 0 or i == total):
            progress(i, total)
    sups = {r["username"]: r.get("supervisor") for r in cleaned if r.get("supervisor")}
    if sups:
        by_name = {
            p.user.username: p
            for p in OfficerProfile.objects.filter(
                user__username__in=set(sups.values())
            ).select_related("user")
        }
        for username, sup in sups.items():
            profile = profiles[username]
            profile.supervisor = by_name[sup]
            profile.save(update_fields=["supervisor"])


def _lifecycle(*, user, before, profile, status, importer) -> None:
    """Audit a move or transfer, deactivate a leaver, reopen a returning leaver."""
    if before is not None and before.agency_id != profile.agency_id:
        audit_record(
            actor=importer,
            action=AuditAction.MOVE,
            what=_("ย้าย %(username)s จาก %(old)s ไป %(new)s")
            % {"username": user.username, "old": before.agency.code, "new": profile.agency.code},
            subject=user,
            scope=profile.agency.code,
        )
    if status == HrStatus.LEFT:
        if user.is_active or profile.hr_status != HrStatus.LEFT:
            officer_deactivate(profile=profile, actor=importer, reason=str(_("ไฟล์ HR ระบุว่าพ้น")))
    elif before is not None and before.hr_status == HrStatus.LEFT and not user.is_active:
        # Only an account the HR file closed is reopened by it (an administrator's
        # deactivation stays).
        user.is_active = True
        user.save(update_fields=["is_active"])
        audit_record(
            actor=importer,
            action=AuditAction.REJOIN,
            what=_("เปิดบัญชี %(username)s อีกครั้ง") % {"username": user.username},
            subject=user,
            scope=profile.agency.code,
        )


def iter_error_lines(report: ImportReport) -> Iterable[str]:
    for e in report.errors:
        yield _("แถว %(row)s [%(column)s]: %(message)s") % {
            "row": e.row,
            "column": e.field,
            "message": e.message,
        }


# --- The apply step as a job on a worker, with progress ---

STASH_DIR = "officer-imports"


def _private():
    """The private storage (local folder or object storage): the web process writes the
    checked file there and any worker, on any machine, reads it back through the storage
    API, never through a local path."""
    return private_storage()


def stash_name(name: str) -> str:
    """A checked file's name in the private storage (never under a public URL)."""
    return f"{STASH_DIR}/{Path(name).name}"


def stash_exists(name: str) -> bool:
    return bool(name) and _private().exists(stash_name(name))


def stash_delete(name: str) -> None:
    if name and _private().exists(stash_name(name)):
        _private().delete(stash_name(name))


def import_stash(data: bytes, filename: str) -> str:
    """Keep an uploaded file in the private storage (any worker can read it) for the
    apply step; returns its stash name."""
    name = secrets.token_hex(16) + Path(filename).suffix.lower()
    _private().save(stash_name(name), ContentFile(data))
    return name


def import_stash_read(name: str) -> bytes:
    with _private().open(stash_name(name), "rb") as fh:
        return fh.read(settings.OFFICERS_IMPORT_MAX_BYTES + 1)


def import_stashes_expire(*, older_than: dt.timedelta) -> int:
    """Delete checked files never applied (dry runs) older than ``older_than``."""
    storage = _private()
    try:
        _dirs, files = storage.listdir(STASH_DIR)
    except FileNotFoundError:
        return 0
    cutoff = timezone.now() - older_than
    removed = 0
    for name in files:
        path = f"{STASH_DIR}/{name}"
        if storage.get_modified_time(path) < cutoff:
            storage.delete(path)
            removed += 1
    return removed


def import_job_queue(
    *, importer, stash: str, filename: str, deactivate_missing: bool = False
) -> ImportJob:
    """Queue the apply step of a checked file on a worker (after this transaction)."""
    from .tasks import import_apply

    if not stash_exists(stash):
        raise ImportFileError(str(_("ไม่พบไฟล์ที่ตรวจสอบแล้ว")))
    job = ImportJob.objects.create(
        created_by=importer,
        filename=filename[:255],
        stash=stash,
        deactivate_missing=deactivate_missing,
    )
    # The worker writes the report's messages in the language of the person applying.
    language = get_language() or settings.LANGUAGE_CODE
    transaction.on_commit(
        lambda: import_apply.apply_async(
            args=[str(job.pk)], kwargs={"language": language}, task_id=str(job.pk)
        )
    )
    return job


def import_job_run(*, job_id, progress: Callable[[int, int], None] | None = None) -> ImportJob:
    """Apply a queued job's file: every row in one transaction, or nothing (the file is
    then kept and the job says why). Safe to run twice: a re-import updates in place."""
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if job.status == ImportJobStatus.APPLIED:
        return job
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJobStatus.RUNNING)
    try:
        rows = read_table(import_stash_read(job.stash), job.filename)
        report = officers_import(
            rows=rows,
            importer=job.created_by,
            dry_run=False,
            progress=progress,
            deactivate_missing=job.deactivate_missing,
        ).as_dict()
    except (ImportFileError, OSError) as exc:
        report = {
            "rows": 0,
            "created": 0,
            "updated": 0,
            "applied": False,
            "errors": [],
            "file_error": str(exc)
            if isinstance(exc, ImportFileError)
            else str(_("ไฟล์ที่ตรวจสอบแล้วไม่อยู่แล้ว")),
        }
    job.status = ImportJobStatus.APPLIED if report["applied"] else ImportJobStatus.FAILED
    job.report = report
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "report", "finished_at"])
    if report["applied"]:
        stash_delete(job.stash)
    return job


def import_job_progress(job: ImportJob) -> dict:
    """Where a job stands, for the progress bar: rows done of total while it runs."""
    return job_state(
        task_id=str(job.pk),
        status=job.status,
        label=job.get_status_display(),
        running=job.status == ImportJobStatus.RUNNING,
        finished=job.finished,
        count=int((job.report or {}).get("rows", 0)),
    )
