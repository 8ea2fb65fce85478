"""What every endpoint of the JSON API shares: the error shape and its Chinese messages, the
body and query parser, the parameter types (offsets, limits, ids, dates), pagination, and the
error responses documented in the OpenAPI. ``guanwu/api.py`` wires them into the NinjaAPI."""
