"""Loading an Altinn 3 app folder: `load_app(path) -> App`.

See `app_runtime.app.loader` for the contract; load problems become findings, never
exceptions, except for a folder that is not an app at all (`AppLoadError`).
"""

from app_runtime.app.loader import App, AppLoadError, load_app
from app_runtime.app.model import LayoutSet, ModelFiles

__all__ = ["App", "AppLoadError", "LayoutSet", "ModelFiles", "load_app"]
