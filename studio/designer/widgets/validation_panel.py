"""The live validation panel: the same findings as `studio validate`, click to jump."""

from __future__ import annotations

from textual.message import Message
from textual.widgets import DataTable

from schemas.diagnostics import Finding, Severity

SEVERITY_MARK = {Severity.ERROR: "✖ error", Severity.WARNING: "▲ warn", Severity.INFO: "• info"}


class ValidationPanel(DataTable[str]):
    """A table of findings; selecting one posts `ValidationPanel.Jump`."""

    class Jump(Message):
        """The user picked a finding; the screen decides where that is."""

        def __init__(self, panel: ValidationPanel, finding: Finding) -> None:
            super().__init__()
            self.panel = panel
            self.finding = finding

        @property
        def control(self) -> ValidationPanel:
            return self.panel

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._findings: list[Finding] = []

    def on_mount(self) -> None:
        self.add_columns("severity", "code", "where", "message")

    def show(self, findings: list[Finding]) -> None:
        self._findings = findings
        self.clear()
        for index, finding in enumerate(findings):
            where = finding.location.file.rsplit("/", 1)[-1]
            if finding.location.line:
                where += f":{finding.location.line}"
            self.add_row(
                SEVERITY_MARK[finding.severity],
                finding.code,
                where,
                finding.message,
                key=str(index),
            )
        self.border_title = f"Problems ({len(findings)})"

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        key = event.row_key.value
        if key is not None:
            self.post_message(self.Jump(self, self._findings[int(key)]))
