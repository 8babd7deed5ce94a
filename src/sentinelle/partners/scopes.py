"""What a partner token may do. Stored as strings on the token (``lists:read``)."""

from enum import StrEnum


class Scope(StrEnum):
    MATCH = "match"  #: POST /match/hashes, /match/media, /match/url
    LISTS_READ = "lists:read"  #: list change logs and exports, for the partner's allowed lists
    REPORTS_WRITE = "reports:write"  #: POST /reports: URLs that become crawl requests
    NOTICES_RESPOND = "notices:respond"  #: answers to notices addressed to the partner's provider
