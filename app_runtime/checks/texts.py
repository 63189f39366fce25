"""Text checks (TXT): text keys in every language, unused keys, text variables.

A `textResourceBindings` value that is a key in no language is a literal text, not a missing
key: Altinn shows it as written. Only a key present in some languages and absent in others
is reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import partial
from itertools import repeat
from operator import contains, countOf, itemgetter
from typing import Any

from app_runtime.app import App, LayoutSet
from app_runtime.app.datatypes import class_ref
from app_runtime.checks.registry import check
from app_runtime.derived_cache import DocumentMemo
from schemas.diagnostics import Finding, Location, Severity, define_rule
from schemas.sourcemap import JsonDocument

MISSING_IN_LANGUAGE = define_rule(
    "TXT001",
    "text-missing-in-language",
    Severity.WARNING,
    "A text key used by a component exists in some of the app's languages but not all.",
)
UNUSED_KEY = define_rule(
    "TXT002",
    "unused-text",
    Severity.INFO,
    "A text resource is not referenced by any layout, settings, options, metadata or process file.",
)
VARIABLE_PATH = define_rule(
    "TXT003",
    "text-variable-path",
    Severity.WARNING,
    "A text variable reads a data-model path that the model does not have.",
)
VARIABLE_SOURCE = define_rule(
    "TXT004",
    "text-variable-source",
    Severity.WARNING,
    "A text variable's dataSource is unknown or names a data type the app does not have.",
)
DUPLICATE_TEXT = define_rule(
    "TXT005", "duplicate-text-id", Severity.WARNING, "A text id appears twice in one file."
)
LANGUAGE_MISMATCH = define_rule(
    "TXT006",
    "text-language-mismatch",
    Severity.WARNING,
    "A resource file's `language` differs from the language in its file name.",
)

MISPLACED_TEXTS = define_rule(
    "TXT007",
    "texts-in-wrong-folder",
    Severity.WARNING,
    "Text resource files sit outside App/config/texts/, where Altinn does not read them.",
)

TEXT_RULES = (
    MISSING_IN_LANGUAGE,
    UNUSED_KEY,
    VARIABLE_PATH,
    VARIABLE_SOURCE,
    DUPLICATE_TEXT,
    LANGUAGE_MISMATCH,
    MISPLACED_TEXTS,
)

IMPLICIT_KEYS = frozenset(
    {
        "appName",
        "ServiceName",
        "appOwner",
        "ServiceOwner",
        "appReceiver",
        "ServiceDepartmentCode",
        "appLogo.url",
        "appLogo.altText",
        "next",
        "back",
    }
)
"""Keys the platform reads by name (app title, owner, logo, NavigationButtons' default
labels) without any file naming them."""

FRONTEND_NAMESPACES = frozenset(
    {
        "accessibility",
        "address_component",
        "api_error",
        "card_component",
        "confirm",
        "custom_actions",
        "date_picker",
        "dropdown_component",
        "feedback",
        "file_uploader",
        "form_filler",
        "general",
        "group",
        "helptext",
        "iframe_component",
        "input_components",
        "instance_selection",
        "instantiate",
        "language",
        "likert",
        "list_component",
        "map_component",
        "multiple_select_component",
        "navigation",
        "organisation_lookup",
        "organization_lookup",
        "party_selection",
        "payment",
        "pdfPreview",
        "pdf_generator",
        "person_lookup",
        "process_error",
        "receipt",
        "receipt_platform",
        "signee_list",
        "signing",
        "signing_document_list",
        "subform",
        "summary",
        "validation",
        "validation_errors",
        "date_formats",
        "image_upload_component",
    }
)
"""First segments of the frontend's own text keys; an app text with such a key overrides the
built-in text, so it is used even though no app file names it."""

INSTANCE_CONTEXT_KEYS = frozenset(
    {
        "instanceOwnerPartyId",
        "instanceId",
        "appId",
        "instanceOwnerPartyType",
        "instanceOwnerName",
    }
)

_INDEXES = re.compile(r"\[[^\]]*\]")


def _languages(app: App) -> dict[str, frozenset[str]]:
    """Language -> its text ids (the keys of `app.text_resources(language)`). Files that list
    the same ids in the same order, as translations usually do, share one set: comparing two
    lists of strings costs a fraction of hashing the second into a set of its own."""
    seen: _Seen = []
    return {
        language: _TEXT_IDS.cached(document, "ids", partial(_count_ids, document.data, seen))[0]
        for language, document in app.texts.items()
    }


_ID = itemgetter("id")
_TEXT_IDS = DocumentMemo()
"""Per resource file: (its text ids, how many entries have a string id)."""

_Seen = list[tuple[list[str], frozenset[str]]]
"""The id list and id set of the last usual file `_count_ids` read (at most one pair)."""


def _text_ids(document: JsonDocument) -> tuple[frozenset[str], int]:
    """The ids of a resource file's entries and the count of entries with an id: several
    checks only need these, which cost far less than `app.text_resources`' index."""
    return _TEXT_IDS.cached(document, "ids", lambda: _count_ids(document.data))


def _count_ids(data: Any, seen: _Seen | None = None) -> tuple[frozenset[str], int]:
    """(the ids, the count of entries with a string id). With `seen`, a file whose ids equal
    those of the last usual file read with the same `seen`, in order, gets that file's set."""
    resources = data.get("resources") if isinstance(data, dict) else None
    if not isinstance(resources, list):
        return frozenset(), 0
    # The usual file, read in C: every entry an exact dict whose id is an exact str (so the
    # lookups and comparisons below run no code of the values' own).
    count = len(resources)
    if countOf(map(type, resources), dict) == count:
        try:
            ids = list(map(_ID, resources))
        except KeyError:
            pass  # an entry without an id: the general way below
        else:
            if countOf(map(type, ids), str) == count:
                if seen and seen[0][0] == ids:
                    return seen[0][1], count
                found = frozenset(ids)
                if seen is not None:
                    seen[:] = [(ids, found)]
                return found, count
    ids = [
        text_id
        for entry in resources
        if isinstance(entry, dict) and isinstance(text_id := entry.get("id"), str)
    ]
    return frozenset(ids), len(ids)


def _binding_values(layout_set: LayoutSet) -> list[str]:
    """The string values of the set's components' textResourceBindings, in order, repeats
    kept (cached on the set: both the translation and the unused-text check start from
    them; set operations take the list as it is, and building a set first costs more).
    Exact `type` tests like `_collect_strings`': every value found here is a referenced
    string."""
    cached = layout_set.cache.get("text_binding_strings")
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    found = [
        value
        for entry in layout_set.components()
        if type(bindings := entry[2].get("textResourceBindings")) is dict
        for value in bindings.values()
        if type(value) is str
    ]
    layout_set.cache["text_binding_strings"] = found
    return found


@check("texts", MISSING_IN_LANGUAGE)
def check_missing_translations(app: App) -> Iterator[Finding]:
    """textResourceBindings keys exist in every language that has any of them."""
    languages = _languages(app)
    if len(languages) < 2:
        return
    key_sets = list(languages.values())
    first = key_sets[0]
    if all(keys is first or keys == first for keys in key_sets[1:]):
        return  # every language has every key: nothing can be missing
    every_key = frozenset().union(*key_sets)
    in_all = frozenset.intersection(*key_sets)
    partial = every_key - in_all  # keys some language lacks: only their uses are findings
    for layout_set in app.layout_sets:
        if partial.isdisjoint(_binding_values(layout_set)):
            continue  # (parsed JSON holds plain str values: all are in _binding_values)
        for page, pointer, component in layout_set.components():
            bindings = component.get("textResourceBindings")
            if not isinstance(bindings, dict):
                continue
            file = layout_set.page_files[page]
            for name, value in bindings.items():
                if not isinstance(value, str) or value in in_all or value not in every_key:
                    continue
                missing = sorted(lang for lang, keys in languages.items() if value not in keys)
                if missing:
                    yield MISSING_IN_LANGUAGE.finding(
                        f"text {value!r} is missing in {', '.join(missing)}",
                        Location(file, f"{pointer}/textResourceBindings/{name}"),
                        "add it to "
                        + ", ".join(app.text_files.get(lang, lang) for lang in missing),
                    )


@check("texts", UNUSED_KEY)
def check_unused(app: App) -> Iterator[Finding]:
    """Text resources that no file refers to (information only)."""
    if not app.texts:
        return
    sources = _reference_sources(app)  # (read first, as ever, whether walked or not)
    # Most keys are named by some component's textResourceBindings: those are used without
    # walking every file. Only the keys left over decide whether (and how far) to walk.
    bound = [_binding_values(layout_set) for layout_set in app.layout_sets]
    open_keys: set[str] = set()
    for ids in {id(ids): ids for ids in _languages(app).values()}.values():  # (shared once)
        open_keys.update(
            key
            for key in ids.difference(*bound)  # (in C: most keys are used)
            if key not in IMPLICIT_KEYS and key.split(".", 1)[0] not in FRONTEND_NAMESPACES
        )
    if not open_keys:
        return  # only such keys can be reported
    used = set().union(*bound)
    used |= _referenced_strings(app, open_keys, sources)
    reported: set[str] = set()
    for language in sorted(app.texts):
        file = app.text_files[language]
        for key, (pointer, _entry) in app.text_resources(language).items():
            if key in used or key in IMPLICIT_KEYS or key in reported:
                continue
            reported.add(key)
            if key.split(".", 1)[0] in FRONTEND_NAMESPACES:
                continue
            if app.code_files and app.mentioned_in_code(key):
                continue
            yield UNUSED_KEY.finding(
                f"text {key!r} is not used by any layout, settings, options, metadata or "
                "process file",
                Location(file, f"{pointer}/id"),
                "remove it if nothing (including app code) uses it",
            )


Sources = tuple[list[JsonDocument | None], Any]


def _reference_sources(app: App) -> Sources:
    """The JSON documents whose strings count as references, and the process XML tree."""
    documents = [
        app.metadata,
        app.layout_sets_document,
        app.global_settings,
        app.footer,
        *app.options.values(),
    ]
    for layout_set in app.layout_sets:
        documents.append(layout_set.settings)
        documents.extend(layout_set.pages.values())
    for model in app.models:
        if model.validation_path is not None:
            documents.append(app.json(model.validation_path))
    tree = app.xml(app.process_path) if app.process_path is not None else None
    return documents, tree


def _referenced_strings(
    app: App, wanted: set[str] | None = None, sources: Sources | None = None
) -> set[str]:
    """Every string value in the app's JSON files and every text and attribute value in
    process.bpmn. With `wanted`, the walk may stop early once all of those strings are
    found: the answer is then exact for them (and for strings found so far) only."""
    documents, tree = sources if sources is not None else _reference_sources(app)
    found: set[str] = set()
    for document in documents:
        if document is not None:
            _collect_strings(document.data, found)
            if wanted is not None and found.issuperset(wanted):
                return found
    if tree is not None:
        for element in tree.getroot().iter():
            if isinstance(element.tag, str):
                if element.text and element.text.strip():
                    found.add(element.text.strip())
                found.update(element.attrib.values())
    return found


def _collect_strings(value: Any, out: set[str]) -> None:
    """Add every string inside a parsed JSON value to `out`."""
    kind = type(value)
    if kind is str:
        out.add(value)
    elif kind is dict:
        _collect_nested(value.values(), out.add, 0)
    elif kind is list:
        _collect_nested(value, out.add, 0)


_MAX_RECURSION = 64
"""Deeper than this, `_collect_nested` hands over to the loop that needs no call stack."""


def _collect_nested(values: Any, add: Any, depth: int) -> None:
    """The strings among `values` and inside them: recursion is the fast walk in CPython,
    and deep documents continue in `_collect_deep`, so nesting never exhausts the stack."""
    for item in values:
        kind = type(item)
        if kind is str:
            add(item)
        elif kind is dict:
            if depth < _MAX_RECURSION:
                _collect_nested(item.values(), add, depth + 1)
            else:
                _collect_deep(item, add)
        elif kind is list:
            if depth < _MAX_RECURSION:
                _collect_nested(item, add, depth + 1)
            else:
                _collect_deep(item, add)


def _collect_deep(value: Any, add: Any) -> None:
    stack = [value]
    pop, extend = stack.pop, stack.extend
    while stack:
        item = pop()
        kind = type(item)
        if kind is str:
            add(item)
        elif kind is dict:
            extend(item.values())
        elif kind is list:
            extend(item)


@check("texts", DUPLICATE_TEXT, LANGUAGE_MISMATCH)
def check_resource_files(app: App) -> Iterator[Finding]:
    """Each resource file names its own language and lists each id once."""
    for language, document in sorted(app.texts.items()):
        file = app.text_files[language]
        data = document.data
        if not isinstance(data, dict):
            continue
        declared = data.get("language")
        if isinstance(declared, str) and declared != language:
            yield LANGUAGE_MISMATCH.finding(
                f'file is for language {language!r} but says "language": {declared!r}',
                Location(file, "/language"),
                f'write "language": "{language}" or rename the file',
            )
        resources = data.get("resources")
        if not isinstance(resources, list):
            continue
        ids, count = _text_ids(document)
        if len(ids) == count:
            continue  # no id appears twice
        seen: dict[str, int] = {}
        for index, entry in enumerate(resources):
            text_id = entry.get("id") if isinstance(entry, dict) else None
            if not isinstance(text_id, str):
                continue
            if text_id in seen:
                yield DUPLICATE_TEXT.finding(
                    f"text id {text_id!r} already appears at /resources/{seen[text_id]}",
                    Location(file, f"/resources/{index}/id"),
                    "keep one entry per id",
                )
            else:
                seen[text_id] = index


@check("texts", VARIABLE_PATH, VARIABLE_SOURCE)
def check_variables(app: App) -> Iterator[Finding]:
    """Text variables read data-model paths that exist, from data types the app has."""
    trees: dict[str, Any] = {}
    data_type_ids = {t.get("id") for t in app.data_types if isinstance(t.get("id"), str)}
    default_types = sorted({s.data_type for s in app.layout_sets if s.data_type})
    for language in sorted(app.texts):
        if not _has_variables(app.texts[language].data):
            continue  # (the index below costs more than this look)
        file = app.text_files[language]
        for _key, (pointer, entry) in app.text_resources(language).items():
            variables = entry.get("variables")
            if not isinstance(variables, list):
                continue
            for index, variable in enumerate(variables):
                if not isinstance(variable, dict):
                    continue
                source, key = variable.get("dataSource"), variable.get("key")
                if not isinstance(source, str) or not isinstance(key, str):
                    continue
                where = Location(file, f"{pointer}/variables/{index}")
                yield from _check_variable(
                    app, source, key, where, trees, data_type_ids, default_types
                )


def _has_variables(data: Any) -> bool:
    """Whether any resource entry has a `variables` list (only those can have findings)."""
    resources = data.get("resources") if isinstance(data, dict) else None
    if not isinstance(resources, list):
        return False
    try:  # first a look in C: usually no entry has the key at all
        if not any(map(contains, resources, repeat("variables"))):
            return False  # (a dict has the key exactly when it contains "variables")
    except TypeError:
        pass  # an entry that `in` cannot search: the plain loop decides
    for entry in resources:
        if isinstance(entry, dict) and isinstance(entry.get("variables"), list):
            return True
    return False


def _check_variable(
    app: App,
    source: str,
    key: str,
    where: Location,
    trees: dict[str, Any],
    data_type_ids: set[Any],
    default_types: list[str],
) -> Iterator[Finding]:
    if source in ("instanceContext", "applicationSettings"):
        if source == "instanceContext" and key not in INSTANCE_CONTEXT_KEYS:
            yield VARIABLE_SOURCE.finding(
                f"instanceContext has no value {key!r}",
                Location(where.file, where.pointer + "/key"),
                "use one of: " + ", ".join(sorted(INSTANCE_CONTEXT_KEYS)),
            )
        return
    if not source.startswith("dataModel."):
        yield VARIABLE_SOURCE.finding(
            f"unknown dataSource {source!r}",
            Location(where.file, where.pointer + "/dataSource"),
            'use "dataModel.<dataType>", "dataModel.default", "instanceContext" or '
            '"applicationSettings"',
        )
        return
    data_type = source[len("dataModel.") :]
    if data_type == "default":
        candidates = default_types
    else:
        if data_type_ids and data_type not in data_type_ids:
            yield VARIABLE_SOURCE.finding(
                f"dataSource names data type {data_type!r}, which applicationmetadata.json "
                "does not define",
                Location(where.file, where.pointer + "/dataSource"),
                "use an existing data type id, or dataModel.default",
            )
            return
        candidates = [data_type]
    path = _INDEXES.sub("", key)
    resolved_any = False
    checked_any = False
    for candidate in candidates:
        tree = _tree(app, candidate, trees)
        if tree is None:
            continue
        checked_any = True
        if tree.resolve(path) is not None:
            resolved_any = True
            break
    if checked_any and not resolved_any:
        models = ", ".join(candidates)
        yield VARIABLE_PATH.finding(
            f"text variable reads {key!r}, which the data model ({models}) does not have",
            Location(where.file, where.pointer + "/key"),
            "fix the path (dot-separated field names from the model root)",
        )


def _tree(app: App, data_type: str, trees: dict[str, Any]) -> Any:
    if data_type not in trees:
        trees[data_type] = app.memo(("model-tree", data_type), lambda: _build_tree(app, data_type))
    return trees[data_type]


def _build_tree(app: App, data_type: str) -> Any:
    """The model tree of a data type (None when there is no usable .schema.json)."""
    model = app.model_for_data_type(data_type)
    if model is None or model.schema_path is None:
        return None
    document = app.json(model.schema_path)
    if document is None:
        return None
    reference = None
    for entry in app.data_types:
        if entry.get("id") == data_type and isinstance(entry.get("appLogic"), dict):
            reference = class_ref(entry)
    try:
        from schemas.model import model_from_document

        return model_from_document(document, model.name, reference).tree()
    except Exception:  # an unusable model is the model checks' business
        return None


@check("texts", MISPLACED_TEXTS)
def check_text_folder(app: App) -> Iterator[Finding]:
    """Resource files in App/texts/ (an old Designer location) are not read at run time."""
    folder = app.app_dir / "texts"
    if not folder.is_dir() or not app.is_inside(folder):
        return
    for entry in sorted(folder.glob("resource.*.json")):
        yield MISPLACED_TEXTS.finding(
            f"{entry.name} is in App/texts/, which Altinn does not read",
            Location(app.relpath(entry)),
            f"move it to App/config/texts/{entry.name}",
        )
