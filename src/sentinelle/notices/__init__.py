"""Notices: batched removal requests per recipient and window, delivered by mail and webhook."""
