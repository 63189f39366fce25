"""Loading a data model's JSON Schema and finding its root element.

Altinn models come in two shapes: draft 2020-12 schemas whose root carries `properties` (or a
single `oneOf`/`allOf` `$ref` to `$defs`), and older SERES-generated schemas with `definitions`
and a root `properties` entry named by `info.meldingsnavn`. Layout bindings are relative to the
root *element*, so finding it the way app-frontend does is what makes paths line up.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from schemas.diagnostics import LocatedError, Location
from schemas.sourcemap import JsonDocument, JsonSyntaxError, load_json_file

DRAFTS: dict[str, str] = {
    "https://json-schema.org/draft/2020-12/schema": "2020-12",
    "https://json-schema.org/draft/2019-09/schema": "2019-09",
    "http://json-schema.org/draft-07/schema": "draft-07",
    "http://json-schema.org/draft-06/schema": "draft-06",
    "http://json-schema.org/draft-04/schema": "draft-04",
    "http://json-schema.org/schema": "2020-12",
}


class ModelLoadError(LocatedError):
    """The model file cannot be read or is not a usable JSON Schema."""


@dataclass
class DataModel:
    """A loaded model: its parsed schema, source document and the root element's pointer."""

    name: str
    document: JsonDocument
    root_pointer: str = ""
    class_ref: str | None = None
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def schema(self) -> dict[str, Any]:
        data: dict[str, Any] = self.document.data
        return data

    @property
    def draft(self) -> str:
        """'2020-12', 'draft-07', 'draft-04', ... ; models without `$schema` count as 2020-12."""
        raw = self.schema.get("$schema")
        if not isinstance(raw, str):
            return "2020-12"
        return DRAFTS.get(raw.rstrip("#"), "unknown")

    @property
    def root_element_name(self) -> str:
        """The XML root element name: `@xsdRootElement`, SERES `meldingsnavn`, else the class."""
        schema = self.schema
        explicit = schema.get("@xsdRootElement")
        if isinstance(explicit, str) and explicit:
            return explicit
        info = schema.get("info")
        if isinstance(info, dict) and isinstance(info.get("meldingsnavn"), str):
            return str(info["meldingsnavn"])
        if self.root_pointer:
            # Old-style models name the root element as the root property referring to it.
            props = schema.get("properties")
            if isinstance(props, dict):
                for name, entry in props.items():
                    if isinstance(entry, dict) and entry.get("$ref") == "#" + self.root_pointer:
                        return str(name)
            return self.root_pointer.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")
        return self.name

    @property
    def target_namespace(self) -> str | None:
        """The namespace of instance XML. Altinn's converter keeps no `targetNamespace` (SERES
        XSDs have none; `info.namespace` is only metadata), so this is None unless the schema
        attributes record one."""
        attributes = self.schema.get("@xsdSchemaAttributes")
        if isinstance(attributes, dict):
            value = attributes.get("TargetNamespace")
            if isinstance(value, str) and value:
                return value
        return None

    def tree(self) -> Any:
        """The model tree (built once, lazily)."""
        from schemas.model.tree import ModelTree

        if "tree" not in self._cache:
            self._cache["tree"] = ModelTree(self)
        return self._cache["tree"]

    def location(self, pointer: str = "") -> Location:
        return self.document.location(pointer)


def resolve_pointer(schema: Any, pointer: str) -> Any:
    """The value at a local JSON pointer (`#/a/b` or `/a/b`); KeyError when absent."""
    text = pointer[1:] if pointer.startswith("#") else pointer
    node = schema
    if not text:
        return node
    for raw in text.lstrip("/").split("/"):
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            raise KeyError(pointer)
    return node


def find_root_pointer(schema: dict[str, Any], class_ref: str | None = None) -> str:
    """The JSON pointer (without `#`) of the root element, following app-frontend's rules:
    `info.rootNode`, the SERES `meldingsnavn` property's `$ref`, the data type's `classRef`
    among `$defs`/`definitions`, then a lone root `oneOf`/`allOf`/`$ref`."""
    info = schema.get("info")
    if isinstance(info, dict):
        root_node = info.get("rootNode")
        if isinstance(root_node, str) and root_node:
            return _strip_hash(root_node)
        name = info.get("meldingsnavn")
        props = schema.get("properties")
        if isinstance(name, str) and isinstance(props, dict):
            entry = props.get(name)
            if isinstance(entry, dict) and isinstance(entry.get("$ref"), str):
                return _strip_hash(entry["$ref"])
    if class_ref:
        full = class_ref.removeprefix("Altinn.App.Models.")
        for candidate in dict.fromkeys((full, full.rsplit(".", 1)[-1])):
            for container in ("$defs", "definitions"):
                defs = schema.get(container)
                if isinstance(defs, dict) and candidate in defs:
                    return f"/{container}/{_escape(candidate)}"
    if "properties" not in schema:
        for key in ("oneOf", "allOf", "anyOf"):
            members = schema.get(key)
            if isinstance(members, list) and len(members) == 1:
                member = members[0]
                if isinstance(member, dict) and isinstance(member.get("$ref"), str):
                    return _strip_hash(member["$ref"])
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref.startswith("#"):
            return _strip_hash(ref)
    return ""


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _strip_hash(ref: str) -> str:
    return ref[1:] if ref.startswith("#") else ref


def model_from_document(
    document: JsonDocument, name: str, class_ref: str | None = None
) -> DataModel:
    """Wrap a parsed schema document as a model, checking it is an object with a root."""
    if not isinstance(document.data, dict):
        raise ModelLoadError(
            "a data model must be a JSON object (a JSON Schema)",
            document.location(""),
            "regenerate the model from its XSD or recreate it in the data-model editor",
        )
    root = find_root_pointer(document.data, class_ref)
    if root:
        try:
            resolve_pointer(document.data, root)
        except KeyError:
            raise ModelLoadError(
                f"the root element reference #{root} points to nothing",
                document.location(""),
                "fix info.rootNode / the root $ref so it names an existing definition",
            ) from None
    return DataModel(name, document, root, class_ref)


def load_model(path: Path, name: str | None = None, class_ref: str | None = None) -> DataModel:
    """Read a `.schema.json` model file; errors are ModelLoadError with a location."""
    label = name or str(path)
    try:
        document = load_json_file(path, label)
    except JsonSyntaxError as exc:
        raise ModelLoadError(exc.message, exc.location, exc.hint) from None
    model_name = path.name.removesuffix(".json").removesuffix(".schema")
    return model_from_document(document, model_name, class_ref)


class _GeneratedDocument(JsonDocument):
    """A document for an in-memory schema. Its text (for positions) is written on first use:
    converted models are compared field by field and rarely asked for a line number."""

    _text: str | None = None

    @property  # type: ignore[override]
    def text(self) -> str:
        if self._text is None:
            self._text = json.dumps(self.data, indent=1)
        return self._text

    @text.setter
    def text(self, value: str | None) -> None:
        self._text = value


def model_from_schema(
    schema: dict[str, Any], name: str = "model", *, copy: bool = True
) -> DataModel:
    """A model from an in-memory schema (tests, generated models); it holds its own copy
    unless the caller hands over a plain-JSON schema it will not change (`copy=False`)."""
    data = json.loads(json.dumps(schema)) if copy else schema  # the C encoder: a fast deep copy
    document = _GeneratedDocument(f"{name}.schema.json", None, data)  # type: ignore[arg-type]
    return model_from_document(document, name)
