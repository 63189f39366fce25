"""The designer's editing model: transactions over an app's JSON files with undo/redo,
format-preserving saves and detection of changes made on disk by other tools.

Pure domain code: the Textual designer drives it, tests drive it directly.
"""

from app_runtime.editing.session import EditError, EditSession, ExternalChange, Transaction

__all__ = ["EditError", "EditSession", "ExternalChange", "Transaction"]
