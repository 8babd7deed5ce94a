"""Classification: the analysts' review queue and the verdicts that put hashes on a list.

Unknown media kept from confirmed pages (:mod:`sentinelle.review`) and media whose matches are
only against unverified lists (sightings the notice intake left for an analyst) are shown to
analysts, blurred and in grey; each analyst gives a category; when enough of them agree the
item is decided, and csam or harmful-abusive hashes join the verified list. See docs/review.md.
"""
