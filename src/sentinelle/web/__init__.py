"""The web server: URL routes, security headers, error pages and the gunicorn application."""
