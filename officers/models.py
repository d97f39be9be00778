"""Agencies (a tree: ministry > department > division) and officer profiles."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from reference.models import RoleLevel

from .pid import pid_hash, pid_is_valid, pid_last4, pid_mask


class AgencyType(models.TextChoices):
    CENTRAL = "central", _("ราชการส่วนกลาง")
    REGIONAL = "regional", _("ราชการส่วนภูมิภาค")
    LOCAL = "local", _("องค์กรปกครองส่วนท้องถิ่น")
    STATE_ENTERPRISE = "state_enterprise", _("รัฐวิสาหกิจ")
    PUBLIC_ORGANISATION = "public_org", _("องค์การมหาชน")


class AgencySize(models.TextChoices):
    SMALL = "small", _("ขนาดเล็ก")
    LARGE = "large", _("ขนาดใหญ่")


class AgencyLevel(models.TextChoices):
    MINISTRY = "ministry", _("กระทรวง")
    DEPARTMENT = "department", _("กรม")
    DIVISION = "division", _("กอง")


class Agency(MP_Node):
    """An organisation unit; HR scoping covers a unit and everything below it."""

    code = models.CharField(_("รหัสหน่วยงาน"), max_length=32, unique=True)
    name = models.CharField(_("ชื่อหน่วยงาน"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    level = models.CharField(
        _("ระดับ"),
        max_length=16,
        choices=AgencyLevel.choices,
        default=AgencyLevel.DEPARTMENT,
    )
    agency_type = models.CharField(
        _("ประเภทหน่วยงาน"),
        max_length=32,
        choices=AgencyType.choices,
        default=AgencyType.CENTRAL,
    )
    size = models.CharField(
        _("ขนาด"), max_length=8, choices=AgencySize.choices, default=AgencySize.SMALL
    )

    node_order_by = ["code"]

    class Meta:
        verbose_name = _("หน่วยงาน")
        verbose_name_plural = _("หน่วยงาน")

    def __str__(self) -> str:
        return self.name


citizen_id_is_valid = pid_is_valid


def validate_citizen_id(value: str) -> None:
    if value and not citizen_id_is_valid(value):
        raise ValidationError(_("เลขประจำตัวประชาชนไม่ถูกต้อง"), code="citizen_id")


def mask_citizen_id(value: str) -> str:
    """Only the last four digits are ever shown: x-xxxx-xxxxx-12-3."""
    return pid_mask(pid_last4(value))


class StaffKind(models.TextChoices):
    CIVIL_SERVANT = "civil_servant", _("ข้าราชการ")
    PERMANENT_EMPLOYEE = "permanent_employee", _("ลูกจ้างประจำ")
    GOVERNMENT_EMPLOYEE = "government_employee", _("พนักงานราชการ")
    TEMPORARY_EMPLOYEE = "temporary_employee", _("ลูกจ้างชั่วคราว")


class PositionType(models.TextChoices):
    EXECUTIVE = "executive", _("บริหาร")
    MANAGERIAL = "managerial", _("อำนวยการ")
    KNOWLEDGE = "knowledge", _("วิชาการ")
    GENERAL = "general", _("ทั่วไป")


class PositionLevel(models.TextChoices):
    M1 = "M1", _("M1 บริหารต้น")
    M2 = "M2", _("M2 บริหารสูง")
    D1 = "D1", _("D1 อำนวยการต้น")
    D2 = "D2", _("D2 อำนวยการสูง")
    K1 = "K1", _("K1 ปฏิบัติการ")
    K2 = "K2", _("K2 ชำนาญการ")
    K3 = "K3", _("K3 ชำนาญการพิเศษ")
    K4 = "K4", _("K4 เชี่ยวชาญ")
    K5 = "K5", _("K5 ทรงคุณวุฒิ")
    O1 = "O1", _("O1 ปฏิบัติงาน")
    O2 = "O2", _("O2 ชำนาญงาน")
    O3 = "O3", _("O3 อาวุโส")
    O4 = "O4", _("O4 ทักษะพิเศษ")


LEVEL_PREFIX_TYPE = {
    "M": PositionType.EXECUTIVE,
    "D": PositionType.MANAGERIAL,
    "K": PositionType.KNOWLEDGE,
    "O": PositionType.GENERAL,
}


def position_type_for_level(level: str) -> str:
    return LEVEL_PREFIX_TYPE[level[0]].value if level else ""


class ItGroup(models.TextChoices):
    IT = "it", _("สายงาน IT")
    NON_IT = "non_it", _("สายงานอื่น")


class HrStatus(models.TextChoices):
    """Where the HR file says an officer stands (the account lifecycle follows it)."""

    ACTIVE = "active", _("ปฏิบัติราชการ")
    LEFT = "left", _("พ้นจากหน่วยงาน")
    TRANSFERRED_OUT = "transferred_out", _("โอนย้ายออก")


class OfficerProfile(models.Model):
    """The learner's HR profile; one per user account.

    PDPA: only what the Civil Service Act duty to develop officials needs; never
    religion, blood type, health or biometrics. The citizen ID is optional and masked.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="officer_profile"
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="officers", verbose_name=_("หน่วยงาน")
    )
    title_th = models.CharField(_("คำนำหน้า"), max_length=32, blank=True)
    rank_title = models.CharField(_("ยศหรือตำแหน่งทางวิชาการ"), max_length=64, blank=True)
    first_name_th = models.CharField(_("ชื่อ"), max_length=100)
    last_name_th = models.CharField(_("นามสกุล"), max_length=100)
    first_name_en = models.CharField(_("given name (English)"), max_length=100, blank=True)
    last_name_en = models.CharField(_("surname (English)"), max_length=100, blank=True)
    email = models.EmailField(_("อีเมล"), blank=True)
    phone = models.CharField(_("โทรศัพท์"), max_length=32, blank=True)
    province = models.CharField(_("จังหวัด"), max_length=64, blank=True)
    staff_kind = models.CharField(
        _("ประเภทบุคลากร"),
        max_length=24,
        choices=StaffKind.choices,
        default=StaffKind.CIVIL_SERVANT,
    )
    position_name = models.CharField(_("ตำแหน่ง"), max_length=200, blank=True)
    position_type = models.CharField(
        _("ประเภทตำแหน่ง"),
        max_length=16,
        choices=PositionType.choices,
        blank=True,
    )
    position_level = models.CharField(
        _("ระดับตำแหน่ง"), max_length=2, choices=PositionLevel.choices, blank=True
    )
    it_group = models.CharField(
        _("กลุ่มสายงาน"), max_length=8, choices=ItGroup.choices, default="non_it"
    )
    role_level = models.CharField(
        _("ระดับบทบาท"),
        max_length=16,
        choices=RoleLevel.choices,
        default=RoleLevel.OPERATIONAL,
    )
    supervisor = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="subordinates",
        verbose_name=_("ผู้บังคับบัญชา"),
    )
    # PDPA: a keyed hash (officers.pid) for sign-in matching and the last four digits
    # for display; the raw number is never stored.
    citizen_id_hash = models.CharField(max_length=64, blank=True, editable=False)
    citizen_id_last4 = models.CharField(
        _("เลขประจำตัวประชาชน (สี่หลักท้าย)"), max_length=4, blank=True, editable=False
    )
    # Set by the HR file: a leaver's account is deactivated; an officer the sending
    # agency marked transferred out may be taken by the receiving agency's file.
    hr_status = models.CharField(
        _("สถานะในไฟล์ HR"), max_length=16, choices=HrStatus.choices, default=HrStatus.ACTIVE
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("ข้อมูลเจ้าหน้าที่")
        verbose_name_plural = _("ข้อมูลเจ้าหน้าที่")
        constraints = [
            models.UniqueConstraint(
                fields=["citizen_id_hash"],
                condition=~models.Q(citizen_id_hash=""),
                name="uniq_officer_citizen_id",
            )
        ]
        indexes = [models.Index(fields=["position_level"])]

    def __str__(self) -> str:
        return self.display_name_th

    def save(self, *args, **kwargs):
        if self.position_level:
            self.position_type = position_type_for_level(self.position_level)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.position_level:
            self.position_type = position_type_for_level(self.position_level)
        if self.supervisor_id and self.supervisor_id == self.pk:
            raise ValidationError({"supervisor": _("ผู้บังคับบัญชาต้องไม่ใช่ตนเอง")})

    @property
    def display_name_th(self) -> str:
        """Thai order: (rank) title + given name (no space), a space, surname."""
        prefix = self.rank_title or self.title_th
        return f"{prefix}{self.first_name_th} {self.last_name_th}".strip()

    @property
    def display_name_en(self) -> str:
        return f"{self.first_name_en} {self.last_name_en}".strip()

    @property
    def citizen_id_masked(self) -> str:
        return pid_mask(self.citizen_id_last4)

    def set_citizen_id(self, raw: str) -> None:
        """Keep only the keyed hash and the last four digits of a valid citizen ID."""
        self.citizen_id_hash = pid_hash(raw) if raw else ""
        self.citizen_id_last4 = pid_last4(raw) if raw else ""


class ImportJobStatus(models.TextChoices):
    QUEUED = "queued", _("รอคิว")
    RUNNING = "running", _("กำลังนำเข้า")
    APPLIED = "applied", _("นำเข้าแล้ว")
    FAILED = "failed", _("ไม่สำเร็จ ไม่มีการบันทึกใด ๆ")


class ImportJob(models.Model):
    """The apply step of an HR-file import, run on a worker (it can take minutes).

    The checked file stays in the private storage (officer-imports/) until applied, and
    the worker reads it through the storage API; a failed job keeps it. Progress while
    running comes from the Celery result backend (the apply is one transaction, so the
    database cannot show it); the outcome is stored here.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    filename = models.CharField(_("ไฟล์"), max_length=255)
    stash = models.CharField(max_length=255, help_text="file name under officer-imports/")
    # A full file: officers of its units absent from it leave (checked at the dry run).
    deactivate_missing = models.BooleanField(default=False)
    status = models.CharField(
        _("สถานะ"),
        max_length=16,
        choices=ImportJobStatus.choices,
        default=ImportJobStatus.QUEUED,
    )
    report = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("งานนำเข้าเจ้าหน้าที่")

    def __str__(self) -> str:
        return f"{self.filename} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in (ImportJobStatus.APPLIED, ImportJobStatus.FAILED)


class AuditAction(models.TextChoices):
    VIEW = "view", _("ดู")
    EXPORT = "export", _("ส่งออก")
    RECORD = "record", _("บันทึก")
    IMPORT = "import", _("นำเข้าไฟล์ HR")
    EMAIL = "email", _("เปลี่ยนอีเมล")
    DOWNLOAD = "download", _("ดาวน์โหลดใบประกาศนียบัตร")
    LEAVE = "leave", _("ปิดบัญชีผู้พ้นจากหน่วยงาน")
    REJOIN = "rejoin", _("เปิดบัญชีผู้กลับเข้าหน่วยงาน")
    MOVE = "move", _("ย้ายหน่วยงาน")
    MFA_RESET = "mfareset", _("ล้างปัจจัยยืนยันตัวตนที่สอง")


class AuditLog(models.Model):
    """Who viewed, exported, imported or changed personal data, what, and when (PDPA).

    Every app writes it through ``officers.services.audit_record``; the table keeps the
    name it had when the model lived in ``hr``."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("ผู้ใช้"),
    )
    action = models.CharField(_("การกระทำ"), max_length=8, choices=AuditAction.choices)
    what = models.CharField(_("รายการ"), max_length=200)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("เจ้าของข้อมูล"),
    )
    scope = models.CharField(_("ขอบเขต"), max_length=200, blank=True)
    path = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField(_("เวลา"), auto_now_add=True, db_index=True)

    class Meta:
        db_table = "hr_auditlog"
        verbose_name = _("บันทึกการเข้าถึงข้อมูลส่วนบุคคล")
        verbose_name_plural = _("บันทึกการเข้าถึงข้อมูลส่วนบุคคล")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_id} {self.action} {self.what}"


class AccountSession(models.Model):
    """Which session keys an account signed in with, so its sessions can be ended
    without reading every session (one active session per officer, leavers)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account_sessions"
    )
    session_key = models.CharField(max_length=40, unique=True)
    signed_in_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("การเข้าสู่ระบบ")
        verbose_name_plural = _("การเข้าสู่ระบบ")

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.signed_in_at:%Y-%m-%d %H:%M}"
