"""Agencies (a tree: ministry > department > division) and officer profiles."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node


class AgencyType(models.TextChoices):
    CENTRAL = "central", _("ราชการส่วนกลาง / Central")
    REGIONAL = "regional", _("ราชการส่วนภูมิภาค / Regional")
    LOCAL = "local", _("องค์กรปกครองส่วนท้องถิ่น / Local administration")
    STATE_ENTERPRISE = "state_enterprise", _("รัฐวิสาหกิจ / State enterprise")
    PUBLIC_ORGANISATION = "public_org", _("องค์การมหาชน / Public organisation")


class AgencySize(models.TextChoices):
    SMALL = "small", _("ขนาดเล็ก / Small")
    LARGE = "large", _("ขนาดใหญ่ / Large")


class AgencyLevel(models.TextChoices):
    MINISTRY = "ministry", _("กระทรวง / Ministry")
    DEPARTMENT = "department", _("กรม / Department")
    DIVISION = "division", _("กอง / Division")


class Agency(MP_Node):
    """An organisation unit; HR scoping covers a unit and everything below it."""

    code = models.CharField(_("รหัสหน่วยงาน / code"), max_length=32, unique=True)
    name = models.CharField(_("ชื่อหน่วยงาน / name (Thai)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    level = models.CharField(
        _("ระดับ / level"),
        max_length=16,
        choices=AgencyLevel.choices,
        default=AgencyLevel.DEPARTMENT,
    )
    agency_type = models.CharField(
        _("ประเภทหน่วยงาน / agency type"),
        max_length=32,
        choices=AgencyType.choices,
        default=AgencyType.CENTRAL,
    )
    size = models.CharField(
        _("ขนาด / size"), max_length=8, choices=AgencySize.choices, default=AgencySize.SMALL
    )

    node_order_by = ["code"]

    class Meta:
        verbose_name = _("หน่วยงาน / agency")
        verbose_name_plural = _("หน่วยงาน / agencies")

    def __str__(self) -> str:
        return self.name


class OfficerProfile(models.Model):
    """The learner's HR profile; one per user account."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="officer_profile"
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="officers", verbose_name=_("หน่วยงาน / unit")
    )
    title_th = models.CharField(_("คำนำหน้า / title (Thai)"), max_length=32, blank=True)
    first_name_th = models.CharField(_("ชื่อ / given name (Thai)"), max_length=100)
    last_name_th = models.CharField(_("นามสกุล / surname (Thai)"), max_length=100)

    class Meta:
        verbose_name = _("ข้อมูลเจ้าหน้าที่ / officer profile")
        verbose_name_plural = _("ข้อมูลเจ้าหน้าที่ / officer profiles")

    def __str__(self) -> str:
        return self.display_name_th

    @property
    def display_name_th(self) -> str:
        """Thai order: title + given name (no space), a space, surname."""
        return f"{self.title_th}{self.first_name_th} {self.last_name_th}".strip()
