"""Format-preserving JSON rewriting: only what changed is touched."""

from __future__ import annotations

import copy
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from schemas.jsontext import dump_file, rewrite

PAGE = """{
  "$schema": "https://altinncdn.no/schemas/json/layout/layout.schema.v1.json",
  "data": {
    "layout": [
      {
        "id": "name",
        "type": "Input",
        "dataModelBindings": { "simpleBinding": "Person.Name" },
        "textResourceBindings": {"title": "name.title"},
        "required": true
      },
      { "id": "info", "type": "Paragraph", "children": ["a", "b"] }
    ]
  }
}
"""


def _changed_lines(before: str, after: str) -> list[int]:
    a, b = before.splitlines(), after.splitlines()
    assert len(a) == len(b)
    return [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]


def test_unchanged_data_keeps_text_byte_for_byte() -> None:
    assert rewrite(PAGE, json.loads(PAGE)) == PAGE


def test_changing_one_property_touches_only_its_line() -> None:
    data = json.loads(PAGE)
    data["data"]["layout"][0]["required"] = False
    out = rewrite(PAGE, data)
    assert json.loads(out) == data
    assert _changed_lines(PAGE, out) == [9]


def test_removing_and_adding_members() -> None:
    data = json.loads(PAGE)
    del data["data"]["layout"][0]["textResourceBindings"]
    data["data"]["layout"][1]["hidden"] = ["equals", 1, 1]
    out = rewrite(PAGE, data)
    assert json.loads(out) == data
    assert '"dataModelBindings": { "simpleBinding": "Person.Name" }' in out


def test_appending_to_an_array_keeps_earlier_items() -> None:
    data = json.loads(PAGE)
    data["data"]["layout"].append({"id": "extra", "type": "Header", "size": "L"})
    out = rewrite(PAGE, data)
    assert json.loads(out) == data
    assert out.startswith(PAGE[: PAGE.index('{ "id": "info"')])


def test_type_change_between_int_and_float_is_written() -> None:
    text = '{"a": 1}'
    assert json.loads(rewrite(text, {"a": 1.5})) == {"a": 1.5}
    assert rewrite(text, {"a": True}) == '{"a": true}'


def test_new_file_uses_two_space_indent_and_keeps_unicode() -> None:
    assert dump_file({"tittel": "Søknad", "n": [1]}) == (
        '{\n  "tittel": "Søknad",\n  "n": [\n    1\n  ]\n}\n'
    )


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-100, 100) | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=4), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None)
@given(json_values, json_values, st.booleans())
def test_rewrite_always_parses_to_the_new_data(old: object, new: object, indent: bool) -> None:
    text = json.dumps(old, indent=2 if indent else None, ensure_ascii=False)
    out = rewrite(text, copy.deepcopy(new))
    assert json.loads(out) == new
    assert _key_order(json.loads(out)) == _key_order(new)


def _key_order(value: object) -> object:
    if isinstance(value, dict):
        return [(k, _key_order(v)) for k, v in value.items()]
    if isinstance(value, list):
        return [_key_order(v) for v in value]
    return value


def test_comments_and_trailing_commas_survive_an_edit() -> None:
    text = '{\n  // who\n  "a": 1, /* note */\n  "b": [1, 2,],\n}\n'
    out = rewrite(text, {"a": 2, "b": [1, 2]})
    assert out == text.replace('"a": 1', '"a": 2')
