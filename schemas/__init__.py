"""Data models: JSON Schema and XSD loading, conversion and validation, plus the shared
diagnostics and source-position primitives every other package builds on."""
