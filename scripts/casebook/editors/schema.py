"""JSON Schema of the front matter, from the pydantic models, with the vocabularies as enums.

For editors' tools (VS Code's YAML extension, for one): completion of field names and of
controlled values, and a Chinese description on hover. One source: the models and
vocabulary.yml; nothing here is written by hand per field.
"""
from __future__ import annotations

from pathlib import Path

from ..core.library import load_vocabulary
from ..core.model import ITEM_MODELS, TYPE_LABELS, VOCAB_FIELDS, Outlet

SCHEMA_URI = "https://json-schema.org/draft/2020-12/schema"


DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_NOT_JSON_TYPES = {"not": {"type": ["string", "number", "integer", "boolean", "array", "object", "null"]}}


def _yaml_dates(node):
    """A YAML tool parses `2026-05-12` into a date, not a string: a date field accepts both
    the text (checked by pattern and format) and an already-parsed date (no JSON type)."""
    if isinstance(node, dict):
        if node.get("type") == "string" and node.get("format") == "date":
            rest = {k: v for k, v in node.items() if k not in ("type", "format")}
            return {**rest, "anyOf": [{"type": "string", "format": "date", "pattern": DATE_PATTERN}, _NOT_JSON_TYPES]}
        return {k: _yaml_dates(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_yaml_dates(v) for v in node]
    return node


def _with_vocab(schema: dict, vocab) -> dict:
    props = schema.get("properties", {})
    for field, name in VOCAB_FIELDS.items():
        if field not in props:
            continue
        values = vocab.values(name)
        prop = props[field]
        target = prop["items"] if prop.get("type") == "array" else prop
        target["enum"] = values
    if "duties" in props:
        props["duties"]["propertyNames"] = {"enum": vocab.values("roles")}
    return schema


def _bank_deadline(schema: dict) -> dict:
    """An emergency's deadline is written as a bank parameter (core/bank.py fills it in), so the
    file holds 【bank.report_minutes.…】, a text: offer those, and still accept a number."""
    props = schema.get("properties", {})
    if "report_within_minutes" in props:
        from ..core.bank import ReportMinutes

        number = props["report_within_minutes"]
        props["report_within_minutes"] = {
            "title": number.get("title"), "description": "取自 cases/bank.yml 的报告时限，如【bank.report_minutes.major】",
            "anyOf": [{"enum": [f"【bank.report_minutes.{k}】" for k in ReportMinutes.model_fields]},
                      {k: v for k, v in number.items() if k not in ("title", "description")}]}
    return schema


def type_schema(kind: str, vocab) -> dict:
    model = ITEM_MODELS[kind]
    schema = model.model_json_schema(mode="validation")
    schema["title"] = f"{TYPE_LABELS[kind]}（{kind}）"
    schema["properties"]["type"] = {"const": kind, "title": "类型", "description": "可省略；若填写须与所在文件夹一致"}
    return _yaml_dates(_with_vocab(_bank_deadline(schema), vocab))


def front_matter_schema(root: Path, kind: str | None = None) -> dict:
    vocab, _ = load_vocabulary(root)
    if kind == "outlet":
        schema = Outlet.model_json_schema(mode="validation")
        schema["$schema"] = SCHEMA_URI
        props = schema["$defs"]["Profile"]["properties"]
        props["customer_groups"]["items"]["enum"] = vocab.values("customer_groups")
        props["peak_periods"]["items"]["enum"] = vocab.values("periods")
        schema["properties"]["staff"]["propertyNames"] = {"enum": vocab.values("roles")}
        return _yaml_dates(schema)
    if kind is not None:
        if kind not in ITEM_MODELS:
            raise KeyError(f"不认识的类型“{kind}”；可用：{'、'.join([*ITEM_MODELS, 'outlet'])}")
        schema = type_schema(kind, vocab)
        schema["$schema"] = SCHEMA_URI
        return schema
    defs: dict = {}
    for name in ITEM_MODELS:
        one = type_schema(name, vocab)
        defs.update(one.pop("$defs", {}))
        defs[name] = one
    return {"$schema": SCHEMA_URI, "title": "casebook 条目 front matter",
            "description": "按所在文件夹选用对应类型：complaints/ → complaint，emergencies/ → emergency……",
            "oneOf": [{"$ref": f"#/$defs/{n}"} for n in ITEM_MODELS], "$defs": defs}
