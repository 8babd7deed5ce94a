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
    REVIEW_CLASSIFY = "review:classify"  #: an analyst gave a review item a category
    REVIEW_DECIDE = "review:decide"  #: enough analysts agreed: the item is decided
    REVIEW_SETTLE = "review:settle"  #: a supervisor decided an item the analysts disagreed on
    REVIEW_REVEAL = "review:reveal"  #: an analyst asked to see an item unblurred
    NOTICE_CREATE = "notice:create"
    NOTICE_EXTEND = "notice:extend"
    NOTICE_QUEUE = "notice:queue"
    NOTICE_ATTEMPT = "notice:attempt"
    NOTICE_RETRY = "notice:retry"
    NOTICE_SEND = "notice:send"
    NOTICE_FAIL = "notice:fail"
    NOTICE_RETRACT = "notice:retract"
    NOTICE_CANCEL = "notice:cancel"
    NOTICE_RECHECK_REQUEST = "notice:recheck-request"
    NOTICE_ITEM_REMOVED = "notice:item-removed"
    NOTICE_REMIND = "notice:remind"
    NOTICE_ESCALATE = "notice:escalate"
    NOTICE_FLAG = "notice:flag"
    HOTLINE_SET = "hotline:set"
    HOTLINE_REMOVE = "hotline:remove"
    NOTICE_RESPONSE_REMOVED = "notice:response-removed"
    NOTICE_RESPONSE_DISPUTE = "notice:response-dispute"
    NOTICE_RESPONSE_QUESTION = "notice:response-question"
    NOTICE_DISPUTE_UPHELD = "notice:dispute-upheld"  #: an analyst upheld the notice against a dispute (console)
    NOTICE_DISPUTE_ACCEPTED = "notice:dispute-accepted"  #: an analyst agreed with a dispute: items retracted
    NOTICE_QUESTION_ANSWERED = "notice:question-answered"  #: an analyst answered a recipient's question
    REFERRAL_CREATE = "referral:create"  #: a law-enforcement referral package was made (sentinelle.referrals)
    REFERRAL_DOWNLOAD = "referral:download"  #: a referral package was downloaded or printed
    PROVIDER_CREATE = "provider:create"
    PROVIDER_UPDATE = "provider:update"
    PROVIDER_NETWORK_ADD = "provider:network-add"
    PROVIDER_NETWORK_REMOVE = "provider:network-remove"
    CONTACT_SET = "contact:set"
    CONTACT_REMOVE = "contact:remove"
    ATTRIBUTION_OVERRIDE = "attribution:override"
    ATTRIBUTION_OVERRIDE_REMOVE = "attribution:override-remove"
    ATTRIBUTION_FLAG_RESOLVE = "attribution:flag-resolve"
    AUDIT_ANCHOR = "audit:anchor"
    ACCOUNT_CREATE = "account:create"
    ACCOUNT_ROLE = "account:role"
    ACCOUNT_PASSWORD_RESET = "account:password-reset"
    ACCOUNT_DEACTIVATE = "account:deactivate"
    ACCOUNT_REACTIVATE = "account:reactivate"
    ACCOUNT_LOGIN = "account:login"
    ACCOUNT_LOGIN_FAILED = "account:login-failed"
    ACCOUNT_LOCKOUT = "account:lockout"
    ACCOUNT_LOGOUT = "account:logout"
    ACCOUNT_OTP_ENROL = "account:otp-enrol"
    REPORT_CREATE = "report:create"
    REPORT_ADD_INFO = "report:add-info"
    REPORT_PURGE_CONTACT = "report:purge-contact"
    REPORT_OUTCOME = "report:outcome"  #: an analyst set or changed a report's outcome (console)
    PARTNER_CREATE = "partner:create"
    PARTNER_UPDATE = "partner:update"
    PARTNER_TOKEN_ISSUE = "partner:token-issue"
    PARTNER_TOKEN_REVOKE = "partner:token-revoke"


class ActorKind(StrEnum):
    USER = "user"
    PARTNER = "partner"
    SYSTEM = "system"
    RECIPIENT = "recipient"  #: a notice's recipient answering it (signed link or API)
    REPORTER = "reporter"  #: a member of the public using the tipline (anonymous)
