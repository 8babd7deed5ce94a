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
"""

from sentinelle.sandbox.constructs import Construct, HostileCase
from sentinelle.sandbox.control import TAKEDOWN_PATH
from sentinelle.sandbox.exceptions import (
    ResolutionError,
    SandboxError,
    SandboxNotRunning,
    SandboxStartError,
    UnknownHost,
    UnknownProvider,
    WorldConfigError,
)
from sentinelle.sandbox.export import ExportedFiles, export_files
from sentinelle.sandbox.generate import build_world, with_policies
from sentinelle.sandbox.imagefiles import ImageStore
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
from sentinelle.sandbox.providers import PolicyAction, Provider, Site, SiteRole, TakedownPolicy
from sentinelle.sandbox.resolver import Address, Resolver, SandboxResolver, SystemResolver
from sentinelle.sandbox.server import Sandbox
from sentinelle.sandbox.takedown import TakedownAction, TakedownDesk, TakedownReceipt, read_log
from sentinelle.sandbox.threaded import SandboxThread

__all__ = [
    "TAKEDOWN_PATH",
    "Address",
    "Construct",
    "Expectation",
    "ExportedFiles",
    "Hostile",
    "HostileCase",
    "HostileSettings",
    "ImageFormat",
    "ImageStore",
    "Location",
    "Media",
    "MediaKind",
    "Page",
    "PageKind",
    "Placement",
    "PolicyAction",
    "Provider",
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
    "UnknownProvider",
    "World",
    "WorldConfigError",
    "Writing",
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
