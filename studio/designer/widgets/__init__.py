"""Designer widgets, one per module; each posts messages upward."""
