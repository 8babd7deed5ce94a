"""Delivery channels: mail (SMTP, or the console in development) and signed webhooks."""
