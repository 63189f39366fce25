"""The `studio` command line and the Textual designer."""
