"""Any JSON value in any app file: loading and the core checks never crash."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_checks_layouts import layout_app
from test_loader import page

from app_runtime.app import load_app
from app_runtime.validation.runner import load_checks, run_checks

CORE_AREAS = ("files", "layouts", "texts", "options", "metadata")

SLOTS = (
    "App/config/applicationmetadata.json",
    "App/ui/layout-sets.json",
    "App/ui/form/Settings.json",
    "App/ui/form/layouts/p1.json",
    "App/config/texts/resource.nb.json",
    "App/options/colours.json",
    "App/models/model.schema.json",
    "App/appsettings.json",
    "App/ui/footer.json",
)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.sampled_from(["", "id", "Input", "Group", "form", "Task_1", "model", "0:x", "a.b"]),
)
keys = st.sampled_from(
    ["id", "type", "children", "data", "layout", "sets", "pages", "order", "groups",
     "dataTypes", "resources", "variables", "value", "optionsId", "options", "tasks",
     "dataType", "textResourceBindings", "dataModelBindings", "appLogic", "classRef",
     "key", "dataSource", "language", "taskId", "defaultDataType", "excludeFromPdf"]
)  # fmt: skip
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=5),
    max_leaves=25,
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(slot=st.sampled_from(SLOTS), value=values)
def test_core_checks_never_crash(slot: str, value: object) -> None:
    folder = Path(tempfile.mkdtemp(prefix="studio-fuzz-"))
    try:
        root = layout_app(
            folder,
            {"p1": page({"id": "grp", "type": "Group", "children": ["name"]}),
             "p2": page({"id": "name", "type": "Input"})},
        )  # fmt: skip
        (root / slot).write_text(json.dumps(value))
        checks = [c for c in load_checks()[0] if c.area in CORE_AREAS]
        findings = run_checks(load_app(root), checks)
        crashed = [f for f in findings if f.code.startswith("CHK")]
        assert not crashed, crashed
    finally:
        shutil.rmtree(folder)
