"""The OpenAPI document in the 3.0 dialect, for the packaged Swagger UI only.

FastAPI writes OpenAPI 3.1 (JSON Schema 2020-12: `"type": "null"`, `const`), which is
what `/openapi.json` serves; the Swagger UI release that swagger-ui-bundle packages
(4.15) reads only 3.0. This rewrites what differs between the two: null in a union
becomes `nullable`, `const` an `enum` of one, a type list one type.
"""

from __future__ import annotations

from typing import Any


def downgrade(document: dict[str, Any]) -> dict[str, Any]:
    converted: dict[str, Any] = _schema(document)
    converted["openapi"] = "3.0.3"
    return converted


def _schema(node: Any) -> Any:
    if isinstance(node, list):
        return [_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _schema(value) for key, value in node.items()}
    for union in ("anyOf", "oneOf"):
        options = out.get(union)
        if isinstance(options, list) and {"type": "null"} in options:
            rest = [o for o in options if o != {"type": "null"}]
            del out[union]
            if len(rest) == 1 and "$ref" not in rest[0]:
                out.update(rest[0])
            elif rest:
                out[union] = rest
            out["nullable"] = True
    kind = out.get("type")
    if isinstance(kind, list):
        types = [t for t in kind if t != "null"]
        out["type"] = types[0] if len(types) == 1 else "string"
        if "null" in kind:
            out["nullable"] = True
    if "const" in out:
        out["enum"] = [out.pop("const")]
    return out
