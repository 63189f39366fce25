"""Behaviour shared by every screen that edits an open app: save, undo/redo, live
validation and noticing edits made on disk by other tools."""

from __future__ import annotations

from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen

from app_runtime.editing import EditError
from app_runtime.editing.workspace import AppWorkspace
from schemas.diagnostics import Finding
from studio.designer.screens.modals import ConfirmScreen

EXTERNAL_CHECK_SECONDS = 2.0


class WorkspaceScreen(Screen[None]):
    """A screen over an AppWorkspace. Subclasses implement `refresh_view`."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        Binding("ctrl+z", "undo", "Undo"),
        Binding("ctrl+y", "redo", "Redo"),
        Binding("f5", "validate", "Validate", show=False),
    ]

    class Validated(Message):
        """Validation of the workspace finished (posted from the validation worker)."""

        def __init__(self, findings: list[Finding]) -> None:
            super().__init__()
            self.findings = findings

    def __init__(self, workspace: AppWorkspace) -> None:
        super().__init__()
        self.workspace = workspace

    def on_mount(self) -> None:
        self.set_interval(EXTERNAL_CHECK_SECONDS, self._check_external_changes)
        self.workspace.changed()
        self.refresh_view()
        # Paint first, validate after: the checks run in a thread that would compete with
        # the first paint for the interpreter.
        self.call_after_refresh(self._first_painted)

    def _first_painted(self) -> None:
        painted = getattr(self.app, "mark_first_screen", None)
        if painted is not None:
            painted()
        self.revalidate()

    # -- hooks for subclasses ----------------------------------------------------
    def refresh_view(self) -> None:
        """Redraw from the workspace (after any change)."""

    def show_findings(self, findings: list[Finding]) -> None:
        """Show validation results (screens with a panel override this)."""

    # -- shared behaviour -----------------------------------------------------------
    def read(self, fn: object, default: object = None) -> object:
        """Run a read-only `fn(tx)`; unreadable or oddly shaped files give `default`."""
        try:
            with self.workspace.session.transaction("read") as tx:
                return fn(tx)  # type: ignore[operator]
        except (EditError, TypeError, AttributeError, KeyError, IndexError, ValueError):
            return default

    def after_change(self) -> None:
        self.workspace.changed()
        self.refresh_view()
        self.revalidate()

    def revalidate(self) -> None:
        """Validate in a worker thread so typing never waits for the checks."""
        self.run_worker(self._validate, thread=True, exclusive=True, group="validation")

    def _validate(self) -> None:
        self.post_message(self.Validated(self.workspace.validate()))

    def on_workspace_screen_validated(self, event: Validated) -> None:
        self.show_findings(event.findings)
        self._update_title()

    def _update_title(self) -> None:
        dirty = len(self.workspace.session.dirty_files())
        self.sub_title = f"{self.workspace.root.name}" + (f" • {dirty} unsaved" if dirty else "")

    def apply(self, description: str, edit: object) -> bool:
        """Run `edit(tx)` as one undoable transaction; report EditError as a notification."""
        try:
            with self.workspace.session.transaction(description) as tx:
                edit(tx)  # type: ignore[operator]
        except EditError as exc:
            self.notify(exc.message, title="Cannot do that", severity="error")
            return False
        except (TypeError, AttributeError, KeyError, IndexError, ValueError) as exc:
            # A file with an unexpected shape (e.g. "pages": [] in Settings.json).
            self.notify(
                f"a file does not have the shape Altinn expects ({type(exc).__name__}); "
                "fix the problems listed below first",
                title="Cannot do that",
                severity="error",
            )
            return False
        self.after_change()
        return True

    def action_save(self) -> None:
        written = self.workspace.save()
        self.notify(f"Saved {len(written)} file(s)" if written else "Nothing to save")
        self._update_title()

    def action_undo(self) -> None:
        description = self.workspace.session.undo()
        if description:
            self.notify(f"Undid: {description}")
            self.after_change()

    def action_redo(self) -> None:
        description = self.workspace.session.redo()
        if description:
            self.notify(f"Redid: {description}")
            self.after_change()

    def action_validate(self) -> None:
        self.revalidate()

    def _check_external_changes(self) -> None:
        changes = self.workspace.session.external_changes()
        if not changes:
            return
        quiet = [c.path for c in changes if not c.conflict]
        conflicts = [c.path for c in changes if c.conflict]
        if quiet:
            self.workspace.session.reload(quiet)
            self.notify(f"Reloaded {len(quiet)} file(s) changed on disk")
            self.after_change()
        if conflicts:
            names = ", ".join(p.rsplit("/", 1)[-1] for p in conflicts)

            def decide(reload: bool | None) -> None:
                if reload:
                    self.workspace.session.reload(conflicts)
                    self.after_change()
                else:
                    # Keep our edits; remember the disk state so we do not ask again.
                    for path in conflicts:
                        self.workspace.session.acknowledge_disk(path)

            self.app.push_screen(
                ConfirmScreen(f"{names} changed on disk and has unsaved edits. Reload from disk?"),
                decide,
            )
