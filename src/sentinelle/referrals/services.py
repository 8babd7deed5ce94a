"""Making a referral (audited ``referral:create``), reading one, checking its package.

The package is produced once, stored as produced, and never rebuilt: what the agency got is
what the hotline keeps, and its SHA-256 (in the audit event too) lets anyone holding the file
check it. A download is audited (``referral:download``): a package is a disclosure.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Final

from django.db import transaction
from django.db.models import QuerySet

from sentinelle import clock
from sentinelle.audit.actions import AuditAction
from sentinelle.audit.models import AuditHead
from sentinelle.audit.services import Actor, record
from sentinelle.notices.models import NoticeItem
from sentinelle.referrals import package
from sentinelle.referrals.exceptions import (
    AgencyMissing,
    NothingToRefer,
    PackageAltered,
    UnknownReferral,
)
from sentinelle.referrals.models import Referral
from sentinelle.tipline.models import Report

TARGET_TYPE: Final = "referral"
MAX_AGENCY: Final = 200
MAX_NOTE: Final = 4000
MAX_ITEMS: Final = 500


def subject(report_reference: str, item_ids: Iterable[str]) -> tuple[Report | None, list[NoticeItem]]:
    """The report and the notice items (by XARF report id) named; :class:`NothingToRefer` when none."""
    report = Report.objects.filter(reference=report_reference).first() if report_reference else None
    wanted = [i for i in dict.fromkeys(item_ids) if _uuid(i)][:MAX_ITEMS]
    items = list(NoticeItem.objects.filter(report_id__in=wanted).select_related("notice").order_by("id"))
    if report is None and not items:
        raise NothingToRefer("name a report or at least one notice item")
    return report, items


def _uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def create_referral(report: Report | None, items: list[NoticeItem], *, agency: str, note: str = "",
                    include_contact: bool = False, actor: Actor, now: datetime | None = None) -> Referral:
    """Produce the package, store it, record ``referral:create``; the referral.

    ``include_contact`` puts the reporter's contact details in the package (the caller checks
    the user may see them); erased details are never there.
    """
    agency, note = agency.strip(), note.strip()
    if not agency or len(agency) > MAX_AGENCY or len(note) > MAX_NOTE:
        raise AgencyMissing(f"name the agency (at most {MAX_AGENCY} characters; a note at most {MAX_NOTE})")
    if report is None and not items:
        raise NothingToRefer("name a report or at least one notice item")
    moment = now or clock.current().now()
    with transaction.atomic():
        head = AuditHead.objects.filter(id=1).first()
        referral = Referral.objects.create(agency=agency, note=note, created_by=actor.name, created_at=moment,
                                           report=report, package_format=package.FORMAT, package="",
                                           package_sha256="", audit_seq=head.seq if head else 0)
        referral.reference = f"RF-{moment.astimezone(UTC).year}-{referral.pk:06d}"
        header = {"reference": referral.reference, "agency": agency, "note": note,
                  "produced_at": moment.isoformat(), "produced_by": actor.name}
        built = package.build(header=header, report=report, items=items, include_contact=include_contact,
                              audit_seq=referral.audit_seq)
        referral.package = package.serialise(built)
        referral.package_sha256 = package.digest(referral.package)
        referral.contact_included = bool(built["report"] and built["report"]["reporter_contact"])
        referral.save(update_fields=["reference", "package", "package_sha256", "contact_included"])
        referral.items.set([item.pk for item in items])
        record(AuditAction.REFERRAL_CREATE, actor=actor, target_type=TARGET_TYPE, target_id=referral.reference,
               after={"agency": agency, "format": package.FORMAT, "sha256": referral.package_sha256,
                      "report": report.reference if report else None, "report_id": report.pk if report else None,
                      "items": [str(i.report_id) for i in items], "contact_included": referral.contact_included,
                      "audit_up_to": referral.audit_seq})
    return referral


def get_referral(reference: str) -> Referral:
    found = Referral.objects.filter(reference=reference).first()
    if found is None:
        raise UnknownReferral(f"no referral {reference[:40]!r}")
    return found


def verify(referral: Referral) -> str:
    """The package's SHA-256 when it is the one recorded; :class:`PackageAltered` otherwise."""
    found = package.digest(referral.package)
    if found != referral.package_sha256:
        raise PackageAltered(f"{referral.reference}: the stored package's SHA-256 is {found}, "
                             f"{referral.package_sha256} was recorded")
    return found


def downloaded(referral: Referral, *, actor: Actor, form: str) -> None:
    record(AuditAction.REFERRAL_DOWNLOAD, actor=actor, target_type=TARGET_TYPE, target_id=referral.reference,
           details={"form": form, "sha256": referral.package_sha256})


def referrals() -> QuerySet[Referral]:
    return Referral.objects.select_related("report").order_by("-created_at", "-id")
