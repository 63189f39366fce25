"""All component definitions, one module per palette category."""

from layouts.catalogue.components.containers import CONTAINERS
from layouts.catalogue.model import ComponentDefinition

DEFINITIONS: tuple[ComponentDefinition, ...] = (*CONTAINERS,)
