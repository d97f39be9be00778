"""The platform's signing key and PAdES signatures on certificate PDFs (pyHanko).

Key and certificate come from settings ``CERTIFICATE_SIGNING_KEY`` and
``CERTIFICATE_SIGNING_CERT`` (PEM paths). When neither file exists, a self-signed
RSA key and certificate are generated on first use under ``var/certificates/``;
an operator replaces them with a key issued by their CA (see README.md).
"""

from __future__ import annotations

import datetime as dt
import io
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

SIGNATURE_FIELD = "PlatformSignature"


def key_paths() -> tuple[Path, Path]:
    base = Path(settings.VAR_DIR) / "certificates"
    key, cert = settings.CERTIFICATE_SIGNING_KEY, settings.CERTIFICATE_SIGNING_CERT
    return Path(key or base / "platform-key.pem"), Path(cert or base / "platform-cert.pem")


def _write_exclusive(path: Path, data: bytes) -> None:
    """Create a file atomically; if another process won the race, keep theirs."""
    tmp = path.with_suffix(path.suffix + f".{os.getpid()}.tmp")
    tmp.write_bytes(data)
    try:
        os.link(tmp, path)
    except FileExistsError:
        pass
    finally:
        tmp.unlink(missing_ok=True)


def ensure_platform_key() -> tuple[Path, Path]:
    """Paths of the PEM key and certificate, generating a self-signed pair if missing."""
    key_path, cert_path = key_paths()
    if key_path.exists() and cert_path.exists():
        return key_path, cert_path
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "TH"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, settings.WAGTAIL_SITE_NAME),
            x509.NameAttribute(NameOID.COMMON_NAME, "Certificate signing (self-signed)"),
        ]
    )
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    key_path.parent.mkdir(parents=True, exist_ok=True)
    cert_path.parent.mkdir(parents=True, exist_ok=True)
    if key_path.exists() != cert_path.exists():
        raise RuntimeError(f"Only one of {key_path} and {cert_path} exists; fix the settings.")
    _write_exclusive(
        key_path,
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
    )
    os.chmod(key_path, 0o600)
    _write_exclusive(cert_path, cert.public_bytes(serialization.Encoding.PEM))
    return key_path, cert_path


def sign_pdf(pdf: bytes, *, reason: str, location: str = "Thailand") -> bytes:
    """A PAdES (ETSI.CAdES.detached) signature over the whole PDF with the platform key."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    key_path, cert_path = ensure_platform_key()
    signer = signers.SimpleSigner.load(str(key_path), str(cert_path), key_passphrase=None)
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    meta = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason,
        location=location,
    )
    out = signers.sign_pdf(writer, meta, signer=signer)
    return out.getvalue()


@dataclass
class SignatureCheck:
    signed: bool
    intact: bool
    trusted: bool
    covers_whole_file: bool
    subject: str = ""

    @property
    def ok(self) -> bool:
        return self.signed and self.intact and self.trusted and self.covers_whole_file


def check_signature(pdf: bytes) -> SignatureCheck:
    """Is the PDF signed by the platform key, untampered since, over the whole file?"""
    from asn1crypto import pem
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    _key_path, cert_path = ensure_platform_key()
    _, _, der = pem.unarmor(cert_path.read_bytes())
    root = asn1_x509.Certificate.load(der)
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    sigs = reader.embedded_signatures
    if not sigs:
        return SignatureCheck(False, False, False, False)
    status = validate_pdf_signature(sigs[-1], ValidationContext(trust_roots=[root]))
    return SignatureCheck(
        signed=True,
        intact=bool(status.intact and status.valid),
        trusted=bool(status.trusted),
        covers_whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        subject=status.signing_cert.subject.human_friendly,
    )


def document_subject(pdf: bytes) -> str:
    """The /Subject of the PDF's info dictionary, where the verification code is kept."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    info = reader.trailer_view.get("/Info")
    if info is None:
        return ""
    return str(info.get_object().get("/Subject", ""))
