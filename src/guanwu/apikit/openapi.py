"""The error answers in the OpenAPI: every operation lists the statuses it can answer besides
success, each with the ``Error`` schema, so a client (or schemathesis) knows them all.

- every operation: 422 (query, path or body not valid);
- operations that need a login: 401 (no or bad token), 403 (role, CSRF), 404 (the record, or a
  record it names, does not exist or belongs to another enterprise), 409 (the record's state
  does not allow it);
- operations that take a body: 413 (over the upload limit);
- the token request: 401 (wrong credentials) and 429 (too many failures, with ``Retry-After``).
"""

from __future__ import annotations

from typing import Any

from .errors import detail_for

ERROR_SCHEMA: dict[str, Any] = {
    "title": "Error",
    "type": "object",
    "required": ["detail", "errors"],
    "properties": {
        "detail": {"type": "string", "description": "中文说明"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "message"],
                "properties": {
                    "field": {"type": "string", "description": "出错的字段, 如 items[0].code_ts; 空表示整体"},
                    "message": {"type": "string", "description": "中文说明"},
                },
            },
        },
    },
}
REF = {"$ref": "#/components/schemas/Error"}
WRITE_METHODS = {"post", "put", "patch", "delete"}
HEADERS = {
    401: {"WWW-Authenticate": {"schema": {"type": "string"}, "description": 'Bearer realm="guanwu"'}},
    429: {"Retry-After": {"schema": {"type": "integer"}, "description": "几秒后可以再试"}},
}


def file_answer(media_type: str, description: str, status: int = 200) -> dict[str, Any]:
    """``openapi_extra`` of an operation that answers a file (``*/*`` when the type is the
    stored file's own), so the OpenAPI names what the success answer carries."""
    return {"responses": {status: {"description": description,
                                   "content": {media_type: {"schema": {"type": "string", "format": "binary"}}}}}}


def _statuses(path: str, method: str, operation: dict[str, Any]) -> list[int]:
    statuses = {422}
    if operation.get("security"):
        statuses |= {401, 403, 404, 409}
    else:
        statuses |= {401, 429}  # the token request: the only operation without a login
    if method in WRITE_METHODS:
        statuses.add(413)
    return sorted(statuses)


def document_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the error answers to every operation of ``schema`` (in place) and return it."""
    schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for status in _statuses(path, method, operation):
                if status in responses or str(status) in responses:
                    continue
                answer: dict[str, Any] = {
                    "description": detail_for(status), "content": {"application/json": {"schema": REF}},
                }
                if status in HEADERS:
                    answer["headers"] = HEADERS[status]
                responses[status] = answer
    return schema
