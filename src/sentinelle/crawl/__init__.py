"""Crawling: the frontier of crawl requests, and the Scrapy crawler that works through it.

The frontier (a Django app):

* :mod:`.normalize` turns a URL into its canonical form and index key;
* :mod:`.models` holds :class:`~.models.CrawlRequest`;
* :mod:`.services` takes requests in (``request_crawl``, ``cancel``);
* :mod:`.queue` is the worker side (``claim``, ``finish``, ``fail``, ``release_stale``).
  Every change to a request writes an audit event.

The crawler (``sentinelle crawl``; docs/crawl.md):

* ``egress*`` modules: the egress guard and the download handler that connects only to
  the address it checked;
* :mod:`.extract` and its helpers: every media reference a browser would load;
* :mod:`.spider`, :mod:`.middlewares`, :mod:`.pipelines` and the modules they use
  (hashing pool, scope, journal, review buffer, recording): fetch, hash, match, store.
"""
