"""The analysts' console: the queue of open reports, a report with what the crawler found, its outcome."""
