"""Accounts of the hotline's staff: roles, permissions, password plus TOTP, lockout, audit."""
