import shutil
import subprocess
import time

import pytest
from django.contrib.auth import get_user_model
from PIL import Image, ImageChops

from progress.certificates import signing
from progress.certificates.pdf import CertificateData, render_certificate_pdf
from progress.certificates.services import certificate_render
from progress.completion.services import course_complete
from progress.models import Certificate
from tests.factories import make_course, make_officer


@pytest.fixture(autouse=True)
def signing_key_dir(settings, tmp_path):
    settings.CERTIFICATE_SIGNING_KEY = str(tmp_path / "keys" / "key.pem")
    settings.CERTIFICATE_SIGNING_CERT = str(tmp_path / "keys" / "cert.pem")


def complete(user=None, course=None, **kw):
    user = user or make_officer()
    course = course or make_course()
    return course_complete(user=user, course=course, reason="all_lessons", **kw)


@pytest.fixture
def issued(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        completion = complete()
    certificate = Certificate.objects.get(completion=completion)
    certificate_render(certificate_id=certificate.pk)
    certificate.refresh_from_db()
    return certificate


def test_first_completion_issues_one_certificate(db, django_capture_on_commit_callbacks):
    user, course = make_officer(), make_course()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        completion = complete(user, course)
        complete(user, course)
    assert Certificate.objects.filter(completion=completion).count() == 1
    # The render task, enqueued once on commit (besides the officer's notification).
    render = [c for c in callbacks if "_dispatch_on_commit" not in getattr(c, "__qualname__", "")]
    assert len(render) == 1
    code = Certificate.objects.get().code
    assert len(code) >= 20  # ~100 random bits, not a counter


@pytest.mark.worker
def test_worker_renders_a_signed_thai_pdf(celery_worker):
    completion = complete()
    certificate = Certificate.objects.get(completion=completion)
    for _ in range(300):
        certificate.refresh_from_db()
        if certificate.pdf:
            break
        time.sleep(0.1)
    assert certificate.pdf, "the worker did not render the certificate"
    data = certificate.pdf.read()
    check = signing.check_signature(data)
    assert check.ok, check
    assert signing.document_subject(data) == certificate.code


def _pdftoppm(pdf_path, out_prefix):
    subprocess.run(
        ["pdftoppm", "-r", "50", "-png", "-singlefile", str(pdf_path), str(out_prefix)],
        check=True,
    )
    return Image.open(f"{out_prefix}.png").convert("L")


def test_pdf_draws_shaped_thai_text(issued, tmp_path):
    if not shutil.which("pdftoppm") or not shutil.which("pdftotext"):
        pytest.skip("needs poppler-utils (pdftoppm, pdftotext): apt-get install poppler-utils")
    path = tmp_path / "c.pdf"
    path.write_bytes(issued.pdf.read())
    text = subprocess.run(
        ["pdftotext", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "นางสาวสมหญิง รักเรียน" in text
    assert "ลายมือชื่ออิเล็กทรอนิกส์" in text
    assert "ให้ไว้ ณ วันที่" in text
    page = _pdftoppm(path, tmp_path / "page")
    # The Thai name line (about 78-92 mm down an A4 landscape page) is inked.
    w, h = page.size
    band = page.crop((0, int(h * 78 / 210), w, int(h * 92 / 210)))
    dark = sum(1 for px in band.tobytes() if px < 128)
    assert dark > 200

    # Shaping matters: the same text drawn without HarfBuzz puts marks elsewhere.
    sample = "ผู้ที่ได้รับใบประกาศนียบัตร ปั้น ญี่ปุ่น"
    shaped = _render_line(sample, shaping=True, out=tmp_path / "s")
    plain = _render_line(sample, shaping=False, out=tmp_path / "p")
    assert ImageChops.difference(shaped, plain).getbbox() is not None


def _render_line(text, *, shaping, out):
    from fpdf import FPDF

    from progress.certificates.pdf import font_dir

    pdf = FPDF(orientation="L", format="A4", unit="mm")
    pdf.add_font("Sarabun", "", str(font_dir() / "Sarabun-Regular.ttf"))
    pdf.set_text_shaping(shaping)
    pdf.add_page()
    pdf.set_font("Sarabun", "", 20)
    pdf.set_xy(5, 5)
    pdf.cell(180, 10, text)
    path = out.with_suffix(".pdf")
    path.write_bytes(bytes(pdf.output()))
    return _pdftoppm(path, out)


def test_thai_date_is_buddhist_era(issued):
    from progress.certificates.services import certificate_data

    data = certificate_data(issued)
    year = issued.completion.completed_at.year
    assert str(year + 543) in data.date_th and str(year) in data.date_en
    assert data.name_th == "นางสาวสมหญิง รักเรียน"
    assert data.verify_url.endswith(f"/certificates/verify/{issued.code}/")


def test_verify_page_shows_only_name_course_date_validity(client, issued):
    resp = client.get(f"/certificates/verify/{issued.code}/")
    assert resp.status_code == 200
    body = resp.content.decode()
    assert "นางสาวสมหญิง รักเรียน" in body and issued.completion.course.title in body
    assert 'data-validity="valid"' in body
    user = issued.completion.user
    assert user.email not in body
    # The username as a word of the visible text (a short one like "o4" can turn up
    # inside a random CSP nonce or code, which is not a leak).
    import re

    from django.utils.html import strip_tags

    visible = strip_tags(body)
    assert not re.search(rf"(?<![A-Za-z0-9]){re.escape(user.username)}(?![A-Za-z0-9])", visible)
    assert client.get("/certificates/verify/not-a-real-code/").status_code == 404


def test_only_central_reviewer_revokes(client, issued):
    from officers import roles

    hr = make_officer("hr-x", groups=(roles.AGENCY_HR,))
    client.force_login(hr)
    url = f"/certificates/{issued.code}/revoke/"
    assert client.post(url, {"reason": "x"}).status_code == 403
    reviewer = make_officer("rev-x", groups=(roles.CENTRAL_REVIEWER,))
    client.force_login(reviewer)
    assert client.post(url, {"reason": ""}).status_code == 400
    assert client.post(url, {"reason": "ทุจริตการสอบ"}).status_code == 200
    issued.refresh_from_db()
    assert not issued.is_valid and issued.revoked_by == reviewer
    client.logout()
    body = client.get(f"/certificates/verify/{issued.code}/").content.decode()
    assert 'data-validity="revoked"' in body


def test_upload_verification(client, issued):
    from django.core.files.uploadedfile import SimpleUploadedFile

    signed = issued.pdf.read()

    def post(data):
        return client.post(
            "/certificates/verify/",
            {"pdf": SimpleUploadedFile("c.pdf", data, content_type="application/pdf")},
        )

    ok = post(signed)
    assert ok.status_code == 200 and ok.context["valid"] is True
    # Tampering with a signed byte range breaks the signature.
    tampered = bytearray(signed)
    idx = signed.index(b"/Subject")
    tampered[idx + 12] = ord("Z") if tampered[idx + 12] != ord("Z") else ord("Y")
    bad = post(bytes(tampered))
    assert bad.status_code == 200 and bad.context["valid"] is False
    # An unsigned copy with the right code is not accepted either.
    unsigned = render_certificate_pdf(
        CertificateData(
            code=issued.code,
            name_th="ปลอม",
            name_en="",
            course_title="x",
            learning_hours=1,
            date_th="",
            date_en="",
            verify_url="x",
            issuer="x",
        )
    )
    forged = post(unsigned)
    assert forged.context["valid"] is False and not forged.context["signature"].signed
    assert post(b"not a pdf").status_code == 400
    assert post(b"%PDF-1.7 garbage").status_code == 400
    # Revoked: signature still fine, certificate not valid.
    issued.revoked_at = issued.issued_at
    issued.save()
    assert post(signed).context["valid"] is False


def test_download_is_scoped(client, issued):
    owner = issued.completion.user
    client.force_login(owner)
    resp = client.get(f"/certificates/{issued.code}/download/")
    assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf"
    client.force_login(make_officer("other"))
    assert client.get(f"/certificates/{issued.code}/download/").status_code == 404
    assert get_user_model().objects.count() == 2


def test_oversized_verify_upload_is_refused_in_thai(client, db, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.LMS_CERTIFICATE_VERIFY_MAX_BYTES = 4096
    big = b"%PDF-1.7\n" + b"0" * 8192
    resp = client.post(
        "/certificates/verify/",
        {"pdf": SimpleUploadedFile("big.pdf", big, content_type="application/pdf")},
    )
    assert resp.status_code == 413
    assert "ไฟล์ใหญ่เกินไป" in resp.content.decode()


def test_verify_upload_stops_reading_at_the_cap(settings):
    """The cap holds while reading: an endless upload of unknown size is cut off."""
    from progress.certificates.services import CertificateError, read_capped

    settings.LMS_CERTIFICATE_VERIFY_MAX_BYTES = 1000
    read = []

    class Endless:
        size = None

        def chunks(self, chunk_size):
            while True:
                read.append(chunk_size)
                yield b"x" * 100

    with pytest.raises(CertificateError) as exc:
        read_capped(Endless())
    assert exc.value.status == 413 and len(read) == 11
