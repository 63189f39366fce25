"""The component catalogue, layout files and settings, and the expression language."""
