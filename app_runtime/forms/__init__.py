"""Forms as a user sees them: which components show on a page, with labels, values and
required/read-only state computed from the expressions. Shared by the designer's preview and
the runtime's pages."""

from app_runtime.forms.page_view import FieldView, FormState, concrete_path, write_path

__all__ = ["FieldView", "FormState", "concrete_path", "write_path"]
