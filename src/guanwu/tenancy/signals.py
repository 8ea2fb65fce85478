"""Signals of tenancy for the apps above it (tenancy imports none of them)."""

from django.dispatch import Signal

# Sent inside the transaction that deactivates a membership: ``membership``, ``actor``.
membership_ended = Signal()
