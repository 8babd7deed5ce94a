"""Partners of the API: organisations, their scoped tokens, and a record of every call."""
