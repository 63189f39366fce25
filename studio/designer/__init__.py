"""The Textual designer: screens and widgets over `app_runtime.editing`.

Widgets post messages upward; screens own state and call the editing domain. No domain logic
lives here beyond wiring.
"""
