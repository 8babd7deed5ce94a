"""Audit event names: a string enum, stored as strings (``area:verb``)."""

from enum import StrEnum


class AuditAction(StrEnum):
    LISTS_CREATE = "lists:create"
    LISTS_IMPORT = "lists:import"
    LISTS_EXPORT = "lists:export"
    LISTS_ENABLE = "lists:enable"
    LISTS_DISABLE = "lists:disable"
    LISTS_VERIFY = "lists:verify"
    LISTS_UNVERIFY = "lists:unverify"
    LISTS_EDIT = "lists:edit"
    LISTS_DELETE = "lists:delete"
    HASHES_ADD = "hashes:add"
    HASHES_REMOVE = "hashes:remove"
    HASHES_EDIT = "hashes:edit"
    DONOTACT_ADD = "donotact:add"
    DONOTACT_REMOVE = "donotact:remove"
    CRAWL_REQUEST = "crawl:request"
    CRAWL_UPDATE = "crawl:update"
    REVIEW_STORE = "review:store"
    REVIEW_VIEW = "review:view"
    REVIEW_PURGE = "review:purge"
    AUDIT_ANCHOR = "audit:anchor"


class ActorKind(StrEnum):
    USER = "user"
    PARTNER = "partner"
    SYSTEM = "system"
