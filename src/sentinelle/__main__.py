"""``python -m sentinelle`` is the ``sentinelle`` command."""

import sys

from sentinelle.cli.main import main

sys.exit(main())
