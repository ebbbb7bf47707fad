"""OpenAPI schema of /api/v1/ only (drf-spectacular).

Wagtail's admin has a DRF API of its own under /admin/api/: an internal detail of the admin,
not part of the public contract, and left out of the schema by ``public_api_only``.
Every operation documents the common error body (``web.problems``) as its ``default``
response: whatever the status, an error has that shape (``document_errors``).
"""

PUBLIC_PREFIX = "/api/v1/"
ERROR_COMPONENT = "Error"
HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}

# The same shape as web.problems.ErrorSerializer, for a schema where no view named it.
ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "required": ["type", "title", "status", "detail", "errors"],
}


def public_api_only(endpoints, **kwargs):
    """SPECTACULAR_SETTINGS["PREPROCESSING_HOOKS"]: keep the endpoints under /api/v1/."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith(PUBLIC_PREFIX)]


def document_errors(result, **kwargs):
    """SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]: the error body as every default response."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault(ERROR_COMPONENT, ERROR_SCHEMA)
    default = {
        "description": "Erreur : le format commun à toute l'API (voir le schéma Error).",
        "content": {
            "application/json": {"schema": {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}}
        },
    }
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method in HTTP_METHODS:
                operation.setdefault("responses", {}).setdefault("default", default)
    return result
