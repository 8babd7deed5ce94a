"""The sandbox web: a stand-in for the internet, for tests, benchmarks and the demo.

Simulated hosting providers, each on its own loopback range, serve sites whose
pages place benign generated images every way real pages do, some on a
generated "known" list; a trap site serves hostile cases. Everything follows
from a seed. See ``docs/sandbox.md``.

    world = build_world(7, images=500)
    async with Sandbox(world) as sandbox:          # or: with SandboxThread(world) as sandbox:
        sandbox.resolver.resolve("www.oak-3.example")
        known = known_list(world, sandbox.images)
        sandbox.take_down([url], reference="N-1")
        sandbox.rdap_url                           # the RDAP bootstrap; see world.internet

Around the providers, a small internet for attribution: RDAP registries (one
can be switched down), upstream networks, a CDN fronting one site, domains, and
IP-to-ASN data (:func:`asn_table`).
"""

from sentinelle.sandbox.asn import asn_table
from sentinelle.sandbox.constructs import Construct, HostileCase
from sentinelle.sandbox.control import TAKEDOWN_PATH
from sentinelle.sandbox.exceptions import (
    ResolutionError,
    SandboxError,
    SandboxNotRunning,
    SandboxStartError,
    UnknownHost,
    UnknownOrganisation,
    UnknownProvider,
    UnknownRegistry,
    WorldConfigError,
)
from sentinelle.sandbox.export import ExportedFiles, export_files
from sentinelle.sandbox.generate import build_world, with_policies
from sentinelle.sandbox.imagefiles import ImageStore
from sentinelle.sandbox.internet import (
    Cdn,
    Domain,
    FrontedSite,
    Internet,
    Network,
    Organisation,
    OrgKind,
    RdapState,
    Registry,
)
from sentinelle.sandbox.knownlist import known_list, list_id, source_list_id
from sentinelle.sandbox.manifest import manifest_records, write_manifest
from sentinelle.sandbox.model import (
    Expectation,
    Hostile,
    HostileSettings,
    ImageFormat,
    Location,
    Media,
    MediaKind,
    Page,
    PageKind,
    Placement,
    Transform,
    World,
    Writing,
)
from sentinelle.sandbox.providers import (
    AbuseStyle,
    PolicyAction,
    Provider,
    Site,
    SiteRole,
    TakedownPolicy,
)
from sentinelle.sandbox.rdap_server import RdapRequest
from sentinelle.sandbox.resolver import Address, Resolver, SandboxResolver, SystemResolver
from sentinelle.sandbox.server import Sandbox
from sentinelle.sandbox.takedown import TakedownAction, TakedownDesk, TakedownReceipt, read_log
from sentinelle.sandbox.threaded import SandboxThread

__all__ = [
    "TAKEDOWN_PATH",
    "AbuseStyle",
    "Address",
    "Cdn",
    "Construct",
    "Domain",
    "Expectation",
    "ExportedFiles",
    "FrontedSite",
    "Hostile",
    "HostileCase",
    "HostileSettings",
    "ImageFormat",
    "ImageStore",
    "Internet",
    "Location",
    "Media",
    "MediaKind",
    "Network",
    "OrgKind",
    "Organisation",
    "Page",
    "PageKind",
    "Placement",
    "PolicyAction",
    "Provider",
    "RdapRequest",
    "RdapState",
    "Registry",
    "ResolutionError",
    "Resolver",
    "Sandbox",
    "SandboxError",
    "SandboxNotRunning",
    "SandboxResolver",
    "SandboxStartError",
    "SandboxThread",
    "Site",
    "SiteRole",
    "SystemResolver",
    "TakedownAction",
    "TakedownDesk",
    "TakedownPolicy",
    "TakedownReceipt",
    "Transform",
    "UnknownHost",
    "UnknownOrganisation",
    "UnknownProvider",
    "UnknownRegistry",
    "World",
    "WorldConfigError",
    "Writing",
    "asn_table",
    "build_world",
    "export_files",
    "known_list",
    "list_id",
    "manifest_records",
    "read_log",
    "source_list_id",
    "with_policies",
    "write_manifest",
]
