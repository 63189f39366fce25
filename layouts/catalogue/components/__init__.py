"""All component definitions, one module per palette category.

This tuple is the only list of component types in the code base; everything else asks the
registry (`layouts.catalogue.registry`).
"""

from layouts.catalogue.components.advanced import ADVANCED_COMPONENTS
from layouts.catalogue.components.attachments import ATTACHMENT_COMPONENTS
from layouts.catalogue.components.buttons import BUTTON_COMPONENTS
from layouts.catalogue.components.containers import CONTAINERS
from layouts.catalogue.components.form import FORM_COMPONENTS
from layouts.catalogue.components.text import TEXT_COMPONENTS
from layouts.catalogue.model import ComponentDefinition

DEFINITIONS: tuple[ComponentDefinition, ...] = (
    *FORM_COMPONENTS,
    *TEXT_COMPONENTS,
    *BUTTON_COMPONENTS,
    *ATTACHMENT_COMPONENTS,
    *CONTAINERS,
    *ADVANCED_COMPONENTS,
)
