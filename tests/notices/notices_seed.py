"""A program the subprocess tests run: put items on a notice in the database the environment
names (``DATABASE_URL`` or ``SENTINELLE_DATA_DIR``), print the notice as JSON.

    python notices_seed.py '{"seeds": [1, 2], "language": "en"}'
"""

from __future__ import annotations

import json
import os
import sys


def main(spec: dict[str, object]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sentinelle.settings")
    import django

    django.setup()
    from notices_support import T0, item, recipient

    from sentinelle.audit.services import Actor
    from sentinelle.notices.services import add_items

    seeds = spec.get("seeds", [1])
    assert isinstance(seeds, list)
    intake = add_items(recipient(language=str(spec.get("language", "en"))), [item(int(s)) for s in seeds],
                       actor=Actor.system("seed"), now=T0)
    assert intake.notice is not None
    notice = intake.notice
    print(json.dumps({"id": notice.pk, "reference": notice.reference, "message_id": notice.message_id}))


if __name__ == "__main__":
    main(json.loads(sys.argv[1]))
