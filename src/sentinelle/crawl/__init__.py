"""The crawl frontier: requests to crawl a URL, de-duplicated, prioritised, claimed by workers.

* :mod:`.normalize` turns a URL into its canonical form and index key;
* :mod:`.models` holds :class:`~.models.CrawlRequest`;
* :mod:`.services` takes requests in (``request_crawl``, ``cancel``);
* :mod:`.queue` is the worker side (``claim``, ``finish``, ``fail``, ``release_stale``).

Every change to a request writes an audit event.
"""
