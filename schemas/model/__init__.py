"""Data models: loading Altinn JSON Schemas and the model tree bindings resolve against."""

from schemas.model.loader import (
    DataModel,
    ModelLoadError,
    find_root_pointer,
    load_model,
    model_from_document,
    model_from_schema,
    resolve_pointer,
)
from schemas.model.tree import BrokenRef, ModelField, ModelTree, split_path

__all__ = [
    "BrokenRef",
    "DataModel",
    "ModelField",
    "ModelLoadError",
    "ModelTree",
    "find_root_pointer",
    "load_model",
    "model_from_document",
    "model_from_schema",
    "resolve_pointer",
    "split_path",
]
