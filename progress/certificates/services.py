"""Writes for certificates: issue on completion, render and sign, revoke, verify an upload."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from common.thai_dates import format_date
from officers.scoping import user_is_central_reviewer
from progress.models import Certificate, CourseCompletion

from . import signing
from .pdf import CertificateData, render_certificate_pdf


class CertificateError(Exception):
    """A request about certificates that cannot be honoured; carries an HTTP status."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


def public_base_url() -> str:
    return (settings.LMS_PUBLIC_BASE_URL or settings.WAGTAILADMIN_BASE_URL).rstrip("/")


def verify_url(code: str) -> str:
    return public_base_url() + reverse("progress:certificate_verify", args=[code])


def holder_names(user) -> tuple[str, str]:
    """Thai-order name (title+given, space, surname) and the English name if known."""
    profile = getattr(user, "officer_profile", None)
    if profile is not None:
        return profile.display_name_th, profile.display_name_en
    return (user.get_full_name() or user.get_username()), ""


def certificate_data(certificate: Certificate) -> CertificateData:
    completion = certificate.completion
    name_th, name_en = holder_names(completion.user)
    return CertificateData(
        code=certificate.code,
        name_th=name_th,
        name_en=name_en,
        course_title=completion.course.title,
        learning_hours=completion.learning_hours,
        date_th=format_date(completion.completed_at, lang="th"),
        date_en=format_date(completion.completed_at, lang="en"),
        verify_url=verify_url(certificate.code),
        issuer=settings.WAGTAIL_SITE_NAME,
        assisted=completion.assisted,
    )


@transaction.atomic
def certificate_issue(*, completion: CourseCompletion) -> Certificate:
    """The completion's certificate (created once); the PDF is rendered on a worker."""
    from .tasks import certificate_render_task

    certificate, created = Certificate.objects.get_or_create(completion=completion)
    if created or not certificate.pdf:
        certificate_render_task.delay_on_commit(certificate.pk)
    return certificate


@transaction.atomic
def certificate_render(*, certificate_id: int) -> Certificate | None:
    """Render and sign the PDF; idempotent (a redelivered task finds the file and stops)."""
    # Lock only the certificate row: PostgreSQL refuses FOR UPDATE on the nullable
    # side of the outer join to the officer profile.
    certificate = (
        Certificate.objects.select_for_update(of=("self",))
        .select_related("completion__user__officer_profile", "completion__course")
        .filter(pk=certificate_id)
        .first()
    )
    if certificate is None or certificate.pdf:
        return certificate
    unsigned = render_certificate_pdf(certificate_data(certificate))
    signed = signing.sign_pdf(unsigned, reason=f"ใบประกาศนียบัตร {certificate.code}")
    certificate.pdf.save(f"{certificate.code}.pdf", ContentFile(signed), save=True)
    return certificate


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, revoked_by, reason: str) -> Certificate:
    """Central reviewers (and administrators) revoke; the verify page then says so."""
    if not user_is_central_reviewer(revoked_by):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise CertificateError(_("ต้องระบุเหตุผล"))
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.revoked_at is None:
        certificate.revoked_at = timezone.now()
        certificate.revoked_by = revoked_by
        certificate.revoke_reason = reason[:2000]
        certificate.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    return certificate


def _too_large_message() -> str:
    limit_mb = settings.LMS_CERTIFICATE_VERIFY_MAX_BYTES / (1024 * 1024)
    return _("ไฟล์ใหญ่เกินไป ขนาดไม่เกิน %(mb).0f MB") % {"mb": limit_mb}


def read_capped(upload) -> bytes:
    """The upload's bytes, refused once past the cap while reading (never read whole first)."""
    limit = settings.LMS_CERTIFICATE_VERIFY_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise CertificateError(_too_large_message(), status=413)
    chunks, total = [], 0
    for chunk in upload.chunks(64 * 1024):
        total += len(chunk)
        if total > limit:
            raise CertificateError(_too_large_message(), status=413)
        chunks.append(chunk)
    return b"".join(chunks)


@dataclass
class UploadVerdict:
    signature: signing.SignatureCheck
    code: str
    certificate: Certificate | None

    @property
    def valid(self) -> bool:
        return bool(
            self.signature.ok and self.certificate is not None and self.certificate.is_valid
        )


def certificate_verify_upload(*, data: bytes) -> UploadVerdict:
    """Check an uploaded certificate PDF: platform signature intact, code known, not revoked."""
    if not data:
        raise CertificateError(_("ไม่ได้แนบไฟล์"))
    if len(data) > settings.LMS_CERTIFICATE_VERIFY_MAX_BYTES:
        raise CertificateError(_too_large_message(), status=413)
    if not data.startswith(b"%PDF-"):
        raise CertificateError(_("ไม่ใช่ไฟล์ PDF"))
    try:
        check = signing.check_signature(data)
        code = signing.document_subject(data).strip()
    except Exception as exc:  # noqa: BLE001 - a broken upload is the user's 400, not our 500
        raise CertificateError(_("อ่านไฟล์ PDF ไม่ได้")) from exc
    certificate = (
        Certificate.objects.select_related("completion__course", "completion__user")
        .filter(code=code)
        .first()
        if code
        else None
    )
    return UploadVerdict(signature=check, code=code, certificate=certificate)
