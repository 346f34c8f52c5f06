"""Models for this app (see design.md)."""
