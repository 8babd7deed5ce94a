"""The partner API (``/api/v1/``): Django Ninja, token auth with scopes, one error shape."""
