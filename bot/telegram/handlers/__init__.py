"""Thin adapters: read the update, call a service, reply. One module per area."""
