"""What the crawler saw: hosts, pages, media (content-addressed), sightings and matches.

* :mod:`.models` holds the tables; :mod:`.observations` the values a crawler hands over;
* :mod:`.services` records them (``record_sighting``, ``record_page``), idempotently;
* :mod:`.sniff` names a file's type from its first bytes.

Recording is observation, not a change by someone: it writes no audit events.
"""
