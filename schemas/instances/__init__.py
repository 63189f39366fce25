"""Instance data: XML <-> JSON conversion following a model; empty and sample instances."""

from schemas.instances.samples import empty_instance, instance_strategy, sample_instance
from schemas.instances.xmljson import Conversion, json_to_xml, json_to_xml_bytes, xml_to_json

__all__ = [
    "Conversion",
    "empty_instance",
    "instance_strategy",
    "json_to_xml",
    "json_to_xml_bytes",
    "sample_instance",
    "xml_to_json",
]
