"""The second factor: a TOTP device enrolled by QR code (or its secret typed in), then ten
one-time recovery codes, shown once. django-otp stores both; the QR code is drawn here as SVG
(no image service, nothing leaves the server)."""

from __future__ import annotations

import base64
from typing import Any, Final

import qrcode
import qrcode.image.svg
from django.db import transaction
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from sentinelle.audit.actions import AuditAction
from sentinelle.audit.services import Actor, record

RECOVERY_CODES: Final = 10
TOTP_NAME: Final = "authenticator"
RECOVERY_NAME: Final = "recovery codes"


def enrolled(user: Any) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_device(user: Any) -> TOTPDevice:
    """The unconfirmed TOTP device being enrolled (made once, kept across page reloads)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)


def secret_of(device: TOTPDevice) -> str:
    """The key in base32, as authenticator apps take it when typed in (groups of four)."""
    text = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i:i + 4] for i in range(0, len(text), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// address as an inline SVG QR code."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=4)
    return image.to_string(encoding="unicode")


def confirm(user: Any, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the device with a code from the app; the recovery codes on success, else None.
    Earlier recovery codes and other TOTP devices of the user are replaced."""
    if not device.verify_token(code.replace(" ", "")):
        return None
    with transaction.atomic():
        for other in devices_for_user(user, confirmed=None):
            if other.persistent_id != device.persistent_id:
                other.delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        recovery = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
        StaticToken.objects.bulk_create(StaticToken(device=recovery, token=c) for c in codes)
        record(AuditAction.ACCOUNT_OTP_ENROL, actor=Actor.user(user.username), target_type="user",
               target_id=user.username, details={"recovery_codes": RECOVERY_CODES})
    return codes
