"""Words for the names of providers and sites: invented, harmless, shuffled by the seed."""

from __future__ import annotations

from typing import Final

PROVIDER_NAMES: Final = (
    "Arbutus Hosting",
    "Borealis Cloud",
    "Cobalt Networks",
    "Driftwood Data",
    "Ember Servers",
    "Fjord Telecom",
    "Granite Host",
    "Heron Web Services",
    "Indigo Colocation",
    "Juniper Net",
    "Kestrel Cloud",
    "Lichen Hosting",
    "Marram Networks",
    "Nimbus Fields",
    "Osprey Data",
    "Pine Marten Hosting",
)

COUNTRIES: Final = ("CA", "FR", "NL", "DE", "US", "SE", "GB", "CH", "BE", "JP", "BR", "AU")

SITE_WORDS: Final = (
    "acorn",
    "alder",
    "amber",
    "aspen",
    "basalt",
    "birch",
    "bramble",
    "brook",
    "cedar",
    "clover",
    "comet",
    "coral",
    "cove",
    "dune",
    "elm",
    "fern",
    "finch",
    "flint",
    "glade",
    "harbor",
    "hazel",
    "heath",
    "iris",
    "ivy",
    "kelp",
    "lagoon",
    "larch",
    "linden",
    "maple",
    "meadow",
    "mesa",
    "moss",
    "nectar",
    "oak",
    "orchid",
    "pebble",
    "pine",
    "plover",
    "quartz",
    "reed",
    "ridge",
    "river",
    "rowan",
    "sage",
    "sequoia",
    "shale",
    "sorrel",
    "spruce",
    "tarn",
    "thistle",
    "tide",
    "tundra",
    "umber",
    "valley",
    "willow",
    "wren",
    "yarrow",
    "zephyr",
)

#: Upstream transit organisations, one per block of provider networks.
UPSTREAM_NAMES: Final = (
    "Tidewater Transit",
    "Meridian Backbone",
    "Longshore Carrier",
    "Bellwether Transit",
    "Saltire Backbone",
    "Cormorant Carrier",
)

#: The content delivery network (one is chosen by the seed).
CDN_NAMES: Final = ("Lanternfish CDN", "Skylark Edge", "Halyard Delivery", "Quillwort Edge")

#: Domain registrars, given to sites in turn.
REGISTRAR_NAMES: Final = ("Larkspur Names", "Quarry Registrar")

#: Words for the site the CDN fronts (``www.<word>.example``).
FRONTED_WORDS: Final = ("saltmarsh", "foxglove", "heather", "estuary", "samphire", "bracken")

#: The word of the site that serves the hostile cases.
TRAP_WORD: Final = "labyrinth"


def slug(name: str) -> str:
    """``Pine Marten Hosting`` -> ``pine-marten-hosting``."""
    return "-".join(name.lower().split())
