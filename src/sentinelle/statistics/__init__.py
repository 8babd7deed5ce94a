"""The analysts' statistics pages: charts drawn on the server as SVG, CSV exports and the
transparency report, all from the figures of ``sentinelle.notices.stats``."""
