"""Certificate pages: public verify (by code or by uploaded PDF), download, revoke."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.private_files import private_file_response
from officers.models import AuditAction
from officers.scoping import user_is_central_reviewer
from officers.services import audit_record

from .selectors import certificate_public, certificates_visible_to
from .services import (
    CertificateError,
    certificate_revoke,
    certificate_verify_upload,
    holder_names,
    read_capped,
)


def _refuse_nul(code: str) -> None:
    """A code with NUL is no certificate's; refused here, since PostgreSQL cannot take it
    as a text parameter (psycopg raises DataError, a 500)."""
    if "\x00" in code:
        raise Http404(_("ไม่พบใบประกาศนียบัตร"))


def verify(request, code: str):
    """Public: name, course, date and validity, nothing more; 404 for an unknown code."""
    _refuse_nul(code)
    certificate = certificate_public(code)
    if certificate is None:
        raise Http404(_("ไม่พบใบประกาศนียบัตร"))
    name_th, _name_en = holder_names(certificate.completion.user)
    return render(
        request,
        "progress/certificates/verify.html",
        {
            "code": certificate.code,
            "name": name_th,
            "course": certificate.completion.course.title,
            "completed_at": certificate.completion.completed_at,
            "valid": certificate.is_valid,
            "revoked_at": certificate.revoked_at,
            "can_revoke": certificate.is_valid and user_is_central_reviewer(request.user),
        },
    )


def verify_upload(request):
    """Public: upload a certificate PDF; says whether its signature and code are valid."""
    context: dict = {}
    status = 200
    if request.method == "POST":
        upload = request.FILES.get("pdf")
        try:
            data = read_capped(upload) if upload is not None else b""
            verdict = certificate_verify_upload(data=data)
        except CertificateError as exc:
            context["error"] = exc.message
            status = exc.status
        else:
            cert = verdict.certificate
            context.update(
                checked=True,
                valid=verdict.valid,
                signature=verdict.signature,
                code_known=cert is not None,
                revoked=bool(cert and not cert.is_valid),
                name=holder_names(cert.completion.user)[0] if cert else "",
                course=cert.completion.course.title if cert else "",
                completed_at=cert.completion.completed_at if cert else None,
            )
    return render(request, "progress/certificates/verify_upload.html", context, status=status)


@login_required
def download(request, code: str):
    """The signed PDF, for its holder, their agency HR and administrators."""
    _refuse_nul(code)
    certificate = certificates_visible_to(request.user).filter(code=code).first()
    if certificate is None:
        raise Http404(_("ไม่พบใบประกาศนียบัตร"))
    if not certificate.pdf:
        return HttpResponse(
            _("กำลังสร้างใบประกาศนียบัตร กรุณาลองใหม่อีกครั้ง"),
            status=202,
            content_type="text/plain; charset=utf-8",
        )
    if certificate.completion.user_id != request.user.pk:
        audit_record(
            actor=request.user,
            action=AuditAction.DOWNLOAD,
            what=f"certificate {certificate.code}",
            subject=certificate.completion.user,
            scope="",
        )
    return private_file_response(
        certificate.pdf.storage,
        certificate.pdf.name,
        filename=f"certificate-{certificate.code}.pdf",
        content_type="application/pdf",
    )


@require_POST
def revoke(request, code: str):
    if not user_is_central_reviewer(request.user):
        raise PermissionDenied
    _refuse_nul(code)
    certificate = certificate_public(code)
    if certificate is None:
        raise Http404(_("ไม่พบใบประกาศนียบัตร"))
    try:
        certificate_revoke(
            certificate=certificate,
            revoked_by=request.user,
            reason=request.POST.get("reason", ""),
        )
    except CertificateError as exc:
        return HttpResponse(
            exc.message, status=exc.status, content_type="text/plain; charset=utf-8"
        )
    return verify(request, code)
