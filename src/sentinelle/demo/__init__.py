"""``sentinelle demo``: the whole main job on one machine, against the sandbox web.

In a folder of its own it migrates a SQLite database, starts the sandbox web (simulated
hosting providers, RDAP registries, a CDN) with a local SMTP sink and ``sentinelle serve``,
imports the sandbox's known list, crawls, attributes, sends notices, lets the simulated
providers react, and runs rechecks, reminders and escalation on a simulated clock; then it
summarises what happened with the figures of ``sentinelle stats``. See ``docs/demo.md``.

Assembled in :mod:`.services`; the parts that need no Django (:mod:`.folder`,
:mod:`.environment`, :mod:`.plan`) can be used before Django is set up.
"""
