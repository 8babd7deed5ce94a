"""The provider directory, operator overrides, the RDAP cache, attributions and flags.

Addresses are compared as fixed-width hex strings (32 digits, IPv4 as IPv4-mapped IPv6), so
"which network holds this address" is an index range query on every database.
"""

from __future__ import annotations

from django.db import models


class ProviderKind(models.TextChoices):
    HOSTING = "hosting"
    CDN = "cdn"
    REGISTRAR = "registrar"
    UPSTREAM = "upstream"


class Provider(models.Model):
    """An organisation notices go to: a host, a CDN, a registrar or an upstream network."""

    slug = models.SlugField(max_length=100, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=ProviderKind.choices, default=ProviderKind.HOSTING)
    countries = models.CharField(max_length=200, blank=True, default="", help_text="ISO codes, comma-separated")
    notes = models.TextField(blank=True, default="")
    origin_lookup = models.CharField(
        max_length=500, blank=True, default="", help_text="CDN only: URL template with {url}, {host}"
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("slug",)

    def __str__(self) -> str:
        return str(self.slug)


class ProviderNetwork(models.Model):
    """A network (CIDR) or an AS number that belongs to a provider."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="networks")
    cidr = models.CharField(max_length=64, blank=True, default="")
    first = models.CharField(max_length=32, blank=True, default="", help_text="hex, 32 digits")
    last = models.CharField(max_length=32, blank=True, default="", help_text="hex, 32 digits")
    asn = models.PositiveBigIntegerField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=("cidr",), condition=~models.Q(cidr=""), name="attribution_network_once"),
            models.UniqueConstraint(fields=("asn",), condition=models.Q(asn__isnull=False), name="attribution_asn_once"),
            models.CheckConstraint(
                condition=~models.Q(cidr="") | models.Q(asn__isnull=False), name="attribution_network_or_asn"
            ),
        )
        indexes = (models.Index(fields=("first", "last")),)

    def __str__(self) -> str:
        return self.cidr or f"AS{self.asn}"


class Channel(models.TextChoices):
    EMAIL = "email"
    WEBHOOK = "webhook"


class Contact(models.Model):
    """How to reach a provider: an e-mail address or a webhook, in a language."""

    class Role(models.TextChoices):
        ABUSE = "abuse"
        LEGAL = "legal"
        TECHNICAL = "technical"

    class Source(models.TextChoices):
        OPERATOR = "operator"
        RDAP = "rdap"

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="contacts")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.ABUSE)
    channel = models.CharField(max_length=16, choices=Channel.choices, default=Channel.EMAIL)
    address = models.CharField(max_length=500, help_text="e-mail address, or webhook URL")
    secret_ref = models.CharField(
        max_length=200, blank=True, default="", help_text="webhook: name of the secret (never the secret)"
    )
    language = models.CharField(max_length=8, default="en")
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.OPERATOR)
    preferred = models.BooleanField(default=False)
    note = models.TextField(blank=True, default="")
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("provider", "-preferred", "id")
        constraints = (
            models.UniqueConstraint(fields=("provider", "role", "channel", "address"), name="attribution_contact_once"),
        )

    def __str__(self) -> str:
        return f"{self.provider.slug} {self.role} {self.channel}:{self.address}"


class Override(models.Model):
    """An operator's decision that a host, a domain (and its subdomains) or a network goes to
    a provider, whatever RDAP says. Overrides always win."""

    class Kind(models.TextChoices):
        HOST = "host"
        DOMAIN = "domain"
        NETWORK = "network"

    kind = models.CharField(max_length=8, choices=Kind.choices)
    value = models.CharField(max_length=255)
    first = models.CharField(max_length=32, blank=True, default="")
    last = models.CharField(max_length=32, blank=True, default="")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="overrides")
    reason = models.TextField()
    created_by = models.CharField(max_length=200)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = (models.UniqueConstraint(fields=("kind", "value"), name="attribution_override_once"),)

    def __str__(self) -> str:
        return f"{self.kind}:{self.value} -> {self.provider.slug}"


class RdapCacheEntry(models.Model):
    """An RDAP answer kept until ``expires``: an IP network by the address asked about (or the
    ``up`` link followed), an entity by its URL, a domain by its name. An expired entry is
    still used, said to be stale, when the registry cannot be reached.

    Networks are not reused by range: a registry answers the most specific network holding
    the address asked about, and a more specific one may exist for a neighbouring address."""

    class Kind(models.TextChoices):
        NETWORK = "network"
        ENTITY = "entity"
        DOMAIN = "domain"

    kind = models.CharField(max_length=8, choices=Kind.choices)
    key = models.CharField(max_length=500, help_text="network: the address or the link; entity: URL; domain: name")
    url = models.TextField(help_text="the query")
    final_url = models.TextField(help_text="the registry that answered")
    redirects = models.JSONField(default=list)
    body = models.JSONField()
    fetched = models.DateTimeField()
    expires = models.DateTimeField()

    class Meta:
        constraints = (models.UniqueConstraint(fields=("kind", "key"), name="attribution_rdap_once"),)

    def __str__(self) -> str:
        return f"{self.kind} {self.key}"


class Status(models.TextChoices):
    OK = "ok"
    FLAGGED = "flagged"


class Attribution(models.Model):
    """The latest attribution of a URL: where it is hosted, who is told, and how it was found."""

    url = models.TextField(help_text="normalised (see sentinelle.crawl.normalize)")
    url_key = models.CharField(max_length=64, unique=True, help_text="SHA-256 of url")
    host = models.CharField(max_length=255, db_index=True)
    address = models.GenericIPAddressField(null=True, blank=True)
    asn = models.PositiveBigIntegerField(null=True, blank=True)
    as_name = models.CharField(max_length=300, blank=True, default="")
    country = models.CharField(max_length=8, blank=True, default="")
    network = models.CharField(max_length=200, blank=True, default="", help_text="RDAP handle and range")
    provider = models.ForeignKey(Provider, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    cdn = models.CharField(max_length=200, blank=True, default="", help_text="the CDN in front, if any")
    origin_ip = models.GenericIPAddressField(null=True, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices)
    reasons = models.JSONField(default=list)
    recipients = models.JSONField(default=list)
    chain = models.JSONField(help_text="every step, with its sources and their ages")
    attributed = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.url} ({self.status})"


class AttributionFlag(models.Model):
    """A URL an analyst must look at: it could not be (fully) attributed, and why. Kept."""

    url = models.TextField()
    url_key = models.CharField(max_length=64, db_index=True)
    host = models.CharField(max_length=255)
    reason = models.CharField(max_length=32)
    detail = models.TextField(blank=True, default="")
    open = models.BooleanField(default=True)
    created = models.DateTimeField()
    updated = models.DateTimeField()
    retry_at = models.DateTimeField(null=True, blank=True, help_text="due time of the next try")
    attempts = models.PositiveIntegerField(default=1)
    resolved = models.DateTimeField(null=True, blank=True)
    resolved_by = models.CharField(max_length=200, blank=True, default="")
    resolution = models.TextField(blank=True, default="")

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=("url_key", "reason"), condition=models.Q(open=True), name="attribution_flag_open_once"
            ),
        )
        indexes = (models.Index(fields=("open", "retry_at")),)

    def __str__(self) -> str:
        return f"{self.url}: {self.reason}"
