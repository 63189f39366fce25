"""Designer screens, one per module."""
