"""Form-builder operations: pages and components of one layout set, as transaction steps.

Each function takes an open Transaction and a `PageSet` (where a layout set keeps its files)
and changes the app's JSON the way Altinn Studio would, updating every reference it knows of.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from app_runtime.editing.session import EditError, Transaction
from layouts.catalogue import children_of, definition_for
from schemas.diagnostics import Location

LAYOUT_SCHEMA_URL = (
    "https://altinncdn.no/toolkits/altinn-app-frontend/4/schemas/json/layout/layout.schema.v1.json"
)
SETTINGS_SCHEMA_URL = (
    "https://altinncdn.no/toolkits/altinn-app-frontend/4/schemas/json/layout/"
    "layoutSettings.schema.v1.json"
)
COMPONENT_ID = re.compile(r"^[0-9a-zA-Z][0-9a-zA-Z-]*(-?[a-zA-Z]+|[a-zA-Z][0-9]+|-[0-9]{6,})$")
PAGE_ID = re.compile(r"^[0-9A-Za-zÆØÅæøå_.\- ]+$")


@dataclass(frozen=True)
class PageSet:
    """Where one layout set keeps its files, relative to the app root.

    `folder` is e.g. "App/ui/form"; pages live in `folder/layouts/<page>.json` and the page
    order in `folder/Settings.json`.
    """

    folder: str

    @property
    def settings(self) -> str:
        return f"{self.folder}/Settings.json"

    def page(self, page_id: str) -> str:
        return f"{self.folder}/layouts/{page_id}.json"

    @classmethod
    def of(cls, app_root_relative_folder: str) -> PageSet:
        return cls(app_root_relative_folder.rstrip("/"))


# ---------------------------------------------------------------------------- pages
def page_order(tx: Transaction, pages: PageSet) -> list[str]:
    """The declared page order (flattened across page groups); reading changes nothing."""
    if not tx.exists(pages.settings):
        return []
    settings = tx.peek(pages.settings)
    declared = settings.get("pages") if isinstance(settings, dict) else None
    if not isinstance(declared, dict):
        return []
    if isinstance(declared.get("groups"), list):
        return [
            page
            for group in declared["groups"]
            if isinstance(group, dict)
            for page in group.get("order", [])
            if isinstance(page, str)
        ]
    order = declared.get("order")
    return [p for p in order if isinstance(p, str)] if isinstance(order, list) else []


def _settings(tx: Transaction, pages: PageSet, *, create: bool) -> dict[str, Any] | None:
    if not tx.exists(pages.settings):
        if not create:
            return None
        tx.write(pages.settings, {"$schema": SETTINGS_SCHEMA_URL, "pages": {"order": []}})
    data: dict[str, Any] = tx.data(pages.settings)
    data.setdefault("pages", {})
    if "groups" not in data["pages"]:
        data["pages"].setdefault("order", [])
    return data


def _order_lists(settings: dict[str, Any]) -> Iterator[list[str]]:
    declared = settings["pages"]
    if "groups" in declared:
        for group in declared["groups"]:
            yield group.setdefault("order", [])
    else:
        yield declared["order"]


def add_page(tx: Transaction, pages: PageSet, page_id: str, after: str | None = None) -> None:
    """Create an empty page and put it in the order (after `after`, else last)."""
    if not PAGE_ID.match(page_id):
        raise EditError(f"{page_id!r} is not a usable page name", Location(pages.page(page_id)))
    if tx.exists(pages.page(page_id)):
        raise EditError(f"a page called {page_id} already exists", Location(pages.page(page_id)))
    tx.write(pages.page(page_id), {"$schema": LAYOUT_SCHEMA_URL, "data": {"layout": []}})
    settings = _settings(tx, pages, create=True)
    assert settings is not None
    lists = list(_order_lists(settings))
    for order in lists:
        if after in order:
            order.insert(order.index(after) + 1, page_id)
            return
    lists[-1].append(page_id)


def rename_page(tx: Transaction, pages: PageSet, old: str, new: str) -> None:
    """Rename a page file and every reference to it (order, summaries, links, PDF settings)."""
    if not PAGE_ID.match(new):
        raise EditError(f"{new!r} is not a usable page name", Location(pages.page(new)))
    tx.rename(pages.page(old), pages.page(new))
    settings = _settings(tx, pages, create=False)
    if settings is not None:
        for order in _order_lists(settings):
            order[:] = [new if p == old else p for p in order]
        declared = settings["pages"]
        if declared.get("pdfLayoutName") == old:
            declared["pdfLayoutName"] = new
        if isinstance(declared.get("excludeFromPdf"), list):
            declared["excludeFromPdf"] = [
                new if p == old else p for p in declared["excludeFromPdf"]
            ]
    for page_id in page_order(tx, pages):
        for component in _components(tx, pages, page_id):
            _rename_page_references(component, old, new)


def _rename_page_references(node: Any, old: str, new: str) -> None:
    if isinstance(node, dict):
        if node.get("pageRef") == old:
            node["pageRef"] = new
        target = node.get("target")
        if isinstance(target, dict) and target.get("type") == "page" and target.get("id") == old:
            target["id"] = new
        for value in node.values():
            _rename_page_references(value, old, new)
    elif isinstance(node, list):
        if len(node) >= 3 and node[0] == "linkToPage" and node[2] == old:
            node[2] = new
        for value in node:
            _rename_page_references(value, old, new)


def move_page(tx: Transaction, pages: PageSet, page_id: str, delta: int) -> None:
    """Move a page up (negative) or down (positive) within its order list."""
    settings = _settings(tx, pages, create=False)
    for order in _order_lists(settings) if settings else []:
        if page_id in order:
            index = order.index(page_id)
            target = max(0, min(len(order) - 1, index + delta))
            order.insert(target, order.pop(index))
            return
    raise EditError(f"page {page_id} is not in the page order", Location(pages.settings))


def delete_page(tx: Transaction, pages: PageSet, page_id: str) -> None:
    tx.delete(pages.page(page_id))
    settings = _settings(tx, pages, create=False)
    if settings is not None:
        for order in _order_lists(settings):
            order[:] = [p for p in order if p != page_id]


# ----------------------------------------------------------------------- components
def _layout(tx: Transaction, pages: PageSet, page_id: str) -> list[dict[str, Any]]:
    data = tx.data(pages.page(page_id))
    layout: list[dict[str, Any]] = data.setdefault("data", {}).setdefault("layout", [])
    return layout


def _components(tx: Transaction, pages: PageSet, page_id: str) -> list[dict[str, Any]]:
    if not tx.exists(pages.page(page_id)):
        return []
    return _layout(tx, pages, page_id)


def all_component_ids(tx: Transaction, pages: PageSet) -> set[str]:
    return {
        str(c.get("id"))
        for page_id in page_order(tx, pages)
        for c in _components(tx, pages, page_id)
    }


def unique_id(tx: Transaction, pages: PageSet, base: str) -> str:
    """An id like `base`, made unique in the layout set and valid for Altinn's id pattern."""
    taken = all_component_ids(tx, pages)
    stem = re.sub(r"[^0-9a-zA-Z-]", "", base) or "component"
    if not stem[0].isalnum():
        stem = "c" + stem
    stem = re.sub(r"-?\d+$", "", stem) or "component"
    if stem not in taken and COMPONENT_ID.match(stem):
        return stem
    counter = 1
    while True:
        candidate = f"{stem}{'x' if stem[-1] == '-' else ''}{counter}"
        if not COMPONENT_ID.match(candidate):
            candidate = f"{stem}Copy{counter}"
        if candidate not in taken:
            return candidate
        counter += 1


def find_component(
    tx: Transaction, pages: PageSet, component_id: str
) -> tuple[str, list[dict[str, Any]], int]:
    """(page id, that page's layout list, index) of a component; EditError if absent."""
    for page_id in page_order(tx, pages):
        layout = _components(tx, pages, page_id)
        for index, component in enumerate(layout):
            if component.get("id") == component_id:
                return page_id, layout, index
    raise EditError(f"no component with id {component_id}", Location(pages.folder))


def new_component(component_type: str, component_id: str) -> dict[str, Any]:
    """A fresh component: id, type and the catalogue's required properties with defaults."""
    definition = definition_for(component_type)
    if definition is None:
        raise EditError(f"unknown component type {component_type}", Location(""))
    component: dict[str, Any] = {"id": component_id, "type": definition.type}
    for prop in definition.props:
        if prop.required and prop.name not in ("id", "type"):
            component[prop.name] = (
                copy.deepcopy(prop.default)
                if prop.default is not None
                else ([] if prop.kind == "array" else {} if prop.kind == "object" else "")
            )
    if definition.bindings:
        component["dataModelBindings"] = {b.key: "" for b in definition.bindings if b.required}
    if definition.text_keys and "title" in definition.text_keys:
        component["textResourceBindings"] = {"title": ""}
    if definition.is_container and definition.child_paths[0] == ("children",):
        component.setdefault("children", [])
    return component


def add_component(
    tx: Transaction,
    pages: PageSet,
    page_id: str,
    component_type: str,
    *,
    component_id: str | None = None,
    parent_id: str | None = None,
    index: int | None = None,
) -> str:
    """Add a component to a page (and to a container's children); returns its id."""
    new_id = component_id or unique_id(tx, pages, component_type)
    if new_id in all_component_ids(tx, pages):
        raise EditError(f"id {new_id} is already used in this layout set", Location(pages.folder))
    component = new_component(component_type, new_id)
    layout = _layout(tx, pages, page_id)
    if parent_id is None:
        layout.insert(len(layout) if index is None else index, component)
        return new_id
    _, parent_layout, parent_index = find_component(tx, pages, parent_id)
    parent = parent_layout[parent_index]
    children = parent.get("children")
    if not isinstance(children, list):
        raise EditError(f"{parent_id} does not take children in a list", Location(pages.folder))
    position = len(children) if index is None else index
    children.insert(position, new_id)
    # Children sit after their parent in the flat list, which is how Altinn Studio writes them:
    # right after the previous sibling, or right after the parent.
    anchor = parent_index
    if position > 0:
        previous = children[position - 1].split(":")[-1]
        anchor = next(
            (i for i, c in enumerate(parent_layout) if c.get("id") == previous), parent_index
        )
    parent_layout.insert(anchor + 1, component)
    return new_id


def _parent_of(tx: Transaction, pages: PageSet, component_id: str) -> dict[str, Any] | None:
    for page_id in page_order(tx, pages):
        for component in _components(tx, pages, page_id):
            if any(ref.id == component_id for ref in children_of(component)):
                return component
    return None


def move_component(tx: Transaction, pages: PageSet, component_id: str, delta: int) -> None:
    """Move up/down among its siblings: within the parent's children, else within the page."""
    parent = _parent_of(tx, pages, component_id)
    if parent is not None and isinstance(parent.get("children"), list):
        siblings: list[str] = parent["children"]
        index = next(i for i, c in enumerate(siblings) if c.split(":")[-1] == component_id)
        target = max(0, min(len(siblings) - 1, index + delta))
        siblings.insert(target, siblings.pop(index))
        return
    _, layout, index = find_component(tx, pages, component_id)
    target = max(0, min(len(layout) - 1, index + delta))
    layout.insert(target, layout.pop(index))


def set_parent(tx: Transaction, pages: PageSet, component_id: str, parent_id: str | None) -> None:
    """Move a component into a container (or out to the page when `parent_id` is None)."""
    old_parent = _parent_of(tx, pages, component_id)
    if old_parent is not None and isinstance(old_parent.get("children"), list):
        old_parent["children"] = [
            c for c in old_parent["children"] if c.split(":")[-1] != component_id
        ]
    if parent_id is not None:
        if parent_id == component_id or parent_id in _descendants(tx, pages, component_id):
            raise EditError("a component cannot contain itself", Location(pages.folder))
        _, layout, index = find_component(tx, pages, parent_id)
        children = layout[index].get("children")
        if not isinstance(children, list):
            raise EditError(f"{parent_id} does not take children", Location(pages.folder))
        children.append(component_id)


def _descendants(tx: Transaction, pages: PageSet, component_id: str) -> set[str]:
    _, layout, index = find_component(tx, pages, component_id)
    found: set[str] = set()
    pending = [ref.id for ref in children_of(layout[index])]
    while pending:
        child = pending.pop()
        if child in found:
            continue
        found.add(child)
        try:
            _, child_layout, child_index = find_component(tx, pages, child)
        except EditError:
            continue
        pending.extend(ref.id for ref in children_of(child_layout[child_index]))
    return found


def duplicate_component(tx: Transaction, pages: PageSet, component_id: str) -> str:
    """Copy a component (not its children) right after itself, with a fresh id."""
    _, layout, index = find_component(tx, pages, component_id)
    copy_of = copy.deepcopy(layout[index])
    copy_of["id"] = unique_id(tx, pages, component_id)
    if isinstance(copy_of.get("children"), list):
        copy_of["children"] = []
    layout.insert(index + 1, copy_of)
    parent = _parent_of(tx, pages, component_id)
    if parent is not None and isinstance(parent.get("children"), list):
        siblings = parent["children"]
        position = next(i for i, c in enumerate(siblings) if c.split(":")[-1] == component_id)
        siblings.insert(position + 1, copy_of["id"])
    return str(copy_of["id"])


def delete_component(tx: Transaction, pages: PageSet, component_id: str) -> None:
    """Delete a component and its descendants, and drop it from its parent's children."""
    doomed = {component_id} | _descendants(tx, pages, component_id)
    parent = _parent_of(tx, pages, component_id)
    if parent is not None and isinstance(parent.get("children"), list):
        parent["children"] = [c for c in parent["children"] if c.split(":")[-1] != component_id]
    for page_id in page_order(tx, pages):
        layout = _components(tx, pages, page_id)
        layout[:] = [c for c in layout if c.get("id") not in doomed]


def set_property(
    tx: Transaction, pages: PageSet, component_id: str, path: list[str], value: Any
) -> None:
    """Set (or, with value None, remove) a property; `path` walks nested objects."""
    _, layout, index = find_component(tx, pages, component_id)
    node: dict[str, Any] = layout[index]
    for key in path[:-1]:
        child = node.get(key)
        if not isinstance(child, dict):
            if value is None:
                return
            child = node[key] = {}
        node = child
    if value is None:
        node.pop(path[-1], None)
    else:
        node[path[-1]] = value


def rename_component(tx: Transaction, pages: PageSet, old: str, new: str) -> None:
    """Change a component's id and every reference to it in the layout set."""
    if not COMPONENT_ID.match(new):
        raise EditError(
            f"{new!r} is not a valid component id (letters, digits and dashes; it may not end "
            "with a dash and a short number)",
            Location(pages.folder),
        )
    if new in all_component_ids(tx, pages):
        raise EditError(f"id {new} is already used in this layout set", Location(pages.folder))
    _, layout, index = find_component(tx, pages, old)
    layout[index]["id"] = new
    for page_id in page_order(tx, pages):
        for component in _components(tx, pages, page_id):
            _rename_component_references(component, old, new)


def _rename_component_references(node: Any, old: str, new: str) -> None:
    if isinstance(node, dict):
        for key in ("componentRef", "labelFrom", "component"):
            if node.get(key) == old:
                node[key] = new
        target = node.get("target")
        if (
            isinstance(target, dict)
            and target.get("type") in (None, "component")
            and target.get("id") == old
        ):
            target["id"] = new
        for list_key in ("children", "excludedChildren"):
            values = node.get(list_key)
            if isinstance(values, list):
                node[list_key] = [_renamed_child(v, old, new) for v in values]
        columns = node.get("tableColumns")
        if isinstance(columns, dict) and old in columns:
            node["tableColumns"] = {(new if k == old else k): v for k, v in columns.items()}
        for value in node.values():
            _rename_component_references(value, old, new)
    elif isinstance(node, list):
        if len(node) >= 2 and node[0] in ("component", "displayValue") and node[1] == old:
            node[1] = new
        if len(node) >= 3 and node[0] == "linkToComponent" and node[2] == old:
            node[2] = new
        for value in node:
            _rename_component_references(value, old, new)


def _renamed_child(value: Any, old: str, new: str) -> Any:
    if not isinstance(value, str):
        return value
    prefix, _, name = value.rpartition(":")
    if name == old:
        return f"{prefix}:{new}" if prefix else new
    return value


# ----------------------------------------------------------------------- layout sets
LAYOUT_SETS = "App/ui/layout-sets.json"
LAYOUT_SETS_SCHEMA_URL = (
    "https://altinncdn.no/toolkits/altinn-app-frontend/4/schemas/json/layout/"
    "layout-sets.schema.v1.json"
)
SET_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


def add_layout_set(
    tx: Transaction,
    set_id: str,
    data_type: str | None,
    task: str | None,
    *,
    uses_layout_sets_file: bool,
) -> PageSet:
    """Create a layout set with one empty page. With layout-sets.json (v8) the set is
    declared there; otherwise (v9) the folder is named after the task and Settings.json
    carries `defaultDataType`."""
    if not SET_ID.match(set_id):
        raise EditError(f"{set_id!r} is not a usable layout set id", Location(LAYOUT_SETS))
    pages = PageSet(f"App/ui/{set_id}")
    if tx.exists(pages.settings):
        raise EditError(f"a layout set {set_id} already exists", Location(pages.settings))
    settings: dict[str, Any] = {"$schema": SETTINGS_SCHEMA_URL, "pages": {"order": []}}
    if uses_layout_sets_file:
        if not tx.exists(LAYOUT_SETS):
            tx.write(LAYOUT_SETS, {"$schema": LAYOUT_SETS_SCHEMA_URL, "sets": []})
        entry: dict[str, Any] = {"id": set_id}
        if data_type:
            entry["dataType"] = data_type
        if task:
            entry["tasks"] = [task]
        tx.data(LAYOUT_SETS).setdefault("sets", []).append(entry)
    elif data_type:
        settings["defaultDataType"] = data_type
    tx.write(pages.settings, settings)
    add_page(tx, pages, "Side1")
    return pages


def rename_layout_set(
    tx: Transaction, old: str, new: str, files: list[str], other_pages: list[str]
) -> None:
    """Rename a layout set declared in layout-sets.json: move its JSON files, change its id,
    and update Subform components naming it. `files` are the set's files (JSON only);
    `other_pages` are every page file of the app, for references."""
    if not SET_ID.match(new):
        raise EditError(f"{new!r} is not a usable layout set id", Location(LAYOUT_SETS))
    if not tx.exists(LAYOUT_SETS):
        raise EditError(
            "this app names layout sets after process tasks; rename the task instead",
            Location(f"App/ui/{old}"),
        )
    sets = tx.data(LAYOUT_SETS).get("sets", [])
    if any(isinstance(s, dict) and s.get("id") == new for s in sets):
        raise EditError(f"a layout set {new} already exists", Location(LAYOUT_SETS))
    entry = next((s for s in sets if isinstance(s, dict) and s.get("id") == old), None)
    if entry is None:
        raise EditError(f"layout set {old} is not declared", Location(LAYOUT_SETS))
    if any(not f.endswith(".json") for f in files):
        raise EditError(
            f"layout set {old} holds files other than JSON (e.g. RuleHandler.js); "
            "move them by hand, then rename",
            Location(f"App/ui/{old}"),
        )
    entry["id"] = new
    prefix = f"App/ui/{old}/"
    for path in files:
        tx.rename(path, f"App/ui/{new}/" + path[len(prefix) :])
    for path in other_pages:
        target = path.replace(prefix, f"App/ui/{new}/", 1) if path.startswith(prefix) else path
        if not tx.exists(target):
            continue
        for component in tx.data(target).get("data", {}).get("layout", []):
            if component.get("type") == "Subform" and component.get("layoutSet") == old:
                component["layoutSet"] = new


def delete_layout_set(tx: Transaction, set_id: str, files: list[str]) -> None:
    """Delete a layout set's JSON files and its declaration."""
    if any(not f.endswith(".json") for f in files):
        raise EditError(
            f"layout set {set_id} holds files other than JSON; delete them by hand first",
            Location(f"App/ui/{set_id}"),
        )
    for path in files:
        tx.delete(path)
    if tx.exists(LAYOUT_SETS):
        declared = tx.data(LAYOUT_SETS)
        declared["sets"] = [
            s
            for s in declared.get("sets", [])
            if not (isinstance(s, dict) and s.get("id") == set_id)
        ]


# ----------------------------------------------------------------------- page groups
def page_groups(tx: Transaction, pages: PageSet) -> list[dict[str, Any]] | None:
    """The page groups of Settings.json (None when pages are one flat order)."""
    if not tx.exists(pages.settings):
        return None
    settings = tx.peek(pages.settings)
    declared = settings.get("pages") if isinstance(settings, dict) else None
    groups = declared.get("groups") if isinstance(declared, dict) else None
    return [g for g in groups if isinstance(g, dict)] if isinstance(groups, list) else None


def add_page_group(tx: Transaction, pages: PageSet, name: str) -> None:
    """Add an empty named page group; a flat order becomes the first group (kept unnamed)."""
    settings = _settings(tx, pages, create=True)
    assert settings is not None
    declared = settings["pages"]
    if "groups" not in declared:
        declared["groups"] = [{"order": declared.pop("order", [])}]
    declared["groups"].append({"name": name, "order": []})


def move_page_to_group(tx: Transaction, pages: PageSet, page_id: str, delta: int) -> None:
    """Move a page to the end of the previous (-1) or next (+1) group."""
    settings = _settings(tx, pages, create=False)
    groups = settings["pages"].get("groups") if settings else None
    if not isinstance(groups, list):
        raise EditError("this layout set has no page groups", Location(pages.settings))
    for index, group in enumerate(groups):
        order = group.setdefault("order", [])
        if page_id in order:
            target = index + delta
            if not 0 <= target < len(groups):
                raise EditError("no group in that direction", Location(pages.settings))
            order.remove(page_id)
            groups[target].setdefault("order", []).append(page_id)
            return
    raise EditError(f"page {page_id} is in no group", Location(pages.settings))


def remove_empty_groups(tx: Transaction, pages: PageSet) -> None:
    """Drop groups without pages; a single remaining unnamed group becomes a flat order."""
    settings = _settings(tx, pages, create=False)
    groups = settings["pages"].get("groups") if settings else None
    if not isinstance(groups, list):
        return
    kept = [g for g in groups if g.get("order")]
    if len(kept) == 1 and "name" not in kept[0]:
        settings["pages"].pop("groups")
        settings["pages"]["order"] = kept[0]["order"]
    else:
        settings["pages"]["groups"] = kept
