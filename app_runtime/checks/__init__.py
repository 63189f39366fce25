"""App checks: each area's checks in its own module, all registered in `registry`."""
