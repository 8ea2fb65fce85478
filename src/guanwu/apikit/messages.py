"""Chinese messages for pydantic's error types: the one place where a validation error of the
API (query, path or body) gets the text a user reads.

Every type pydantic can produce maps to a message; ``{name}`` placeholders are filled from the
error's ``ctx``. A type missing from the table falls back to the message itself when it is
already Chinese (our own ``PydanticCustomError`` types), else to a generic "格式错误": an
English message never reaches a user.
"""

from __future__ import annotations

import re
from typing import Any

_CJK = re.compile(r"[\u4e00-\u9fff]")

DATE_HINT = "应为日期, 格式 YYYY-MM-DD"
DATETIME_HINT = "应为日期时间, 格式 YYYY-MM-DDTHH:MM:SS"

MESSAGES: dict[str, str] = {
    # presence and shape
    "missing": "必填项",
    "missing_argument": "必填项",
    "missing_keyword_only_argument": "必填项",
    "missing_positional_only_argument": "必填项",
    "extra_forbidden": "不允许的字段",
    "unexpected_keyword_argument": "不允许的字段",
    "unexpected_positional_argument": "不允许的字段",
    "none_required": "应为空",
    "json_invalid": "JSON 格式错误",
    "json_type": "应为 JSON 文本",
    "dict_type": "应为对象",
    "model_type": "应为对象",
    "model_attributes_type": "应为对象",
    "dataclass_type": "应为对象",
    "dataclass_exact_type": "应为对象",
    "arguments_type": "应为对象",
    "mapping_type": "应为对象",
    "list_type": "应为列表",
    "tuple_type": "应为列表",
    "set_type": "应为列表",
    "frozen_set_type": "应为列表",
    "iterable_type": "应为列表",
    "iteration_error": "应为列表",
    "too_short": "至少 {min_length} 项",
    "too_long": "最多 {max_length} 项",
    "set_item_not_hashable": "列表项格式错误",
    # text
    "string_type": "应为文本",
    "string_sub_type": "应为文本",
    "string_unicode": "应为有效的 Unicode 文本",
    "string_too_short": "至少 {min_length} 个字符",
    "string_too_long": "不能超过 {max_length} 个字符",
    "string_pattern_mismatch": "格式不正确",
    "string_not_ascii": "只能包含英文字母、数字和符号",
    "bytes_type": "应为文本",
    "bytes_too_short": "至少 {min_length} 个字节",
    "bytes_too_long": "不能超过 {max_length} 个字节",
    "bytes_invalid_encoding": "编码错误",
    "text_forbidden_character": "含有不允许的字符 (NUL 或不成对的 Unicode 代理项)",
    # numbers
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_parsing_size": "整数超出范围",
    "int_from_float": "应为整数",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "finite_number": "应为有限的数字",
    "decimal_type": "应为数字",
    "decimal_parsing": "应为数字",
    "decimal_max_digits": "最多 {max_digits} 位数字",
    "decimal_max_places": "最多保留 {decimal_places} 位小数",
    "decimal_whole_digits": "整数部分最多 {whole_digits} 位",
    "complex_type": "应为数字",
    "complex_str_parsing": "应为数字",
    "greater_than": "应大于 {gt}",
    "greater_than_equal": "不能小于 {ge}",
    "less_than": "应小于 {lt}",
    "less_than_equal": "不能大于 {le}",
    "multiple_of": "应为 {multiple_of} 的倍数",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    # dates and times
    "date_type": DATE_HINT,
    "date_parsing": DATE_HINT,
    "date_from_datetime_parsing": DATE_HINT,
    "date_from_datetime_inexact": DATE_HINT,
    "date_format": DATE_HINT,
    "date_past": "应为过去的日期",
    "date_future": "应为将来的日期",
    "datetime_type": DATETIME_HINT,
    "datetime_parsing": DATETIME_HINT,
    "datetime_from_date_parsing": DATETIME_HINT,
    "datetime_object_invalid": DATETIME_HINT,
    "datetime_past": "应为过去的时间",
    "datetime_future": "应为将来的时间",
    "timezone_naive": "不应带时区",
    "timezone_aware": "应带时区",
    "timezone_offset": "时区不正确",
    "time_type": "应为时间, 格式 HH:MM:SS",
    "time_parsing": "应为时间, 格式 HH:MM:SS",
    "time_delta_type": "应为时长",
    "time_delta_parsing": "应为时长",
    # choices and other types
    "literal_error": "应为 {expected} 之一",
    "enum": "应为 {expected} 之一",
    "union_tag_invalid": "类型标记不正确",
    "union_tag_not_found": "缺少类型标记",
    "url_type": "应为网址",
    "url_parsing": "网址格式不正确",
    "url_syntax_violation": "网址格式不正确",
    "url_too_long": "网址过长",
    "url_scheme": "网址协议不正确",
    "uuid_type": "应为 UUID",
    "uuid_parsing": "UUID 格式不正确",
    "uuid_version": "UUID 版本不正确",
    "is_instance_of": "格式错误",
    "is_subclass_of": "格式错误",
    "callable_type": "格式错误",
    "value_error": "格式错误",
    "assertion_error": "格式错误",
    "frozen_field": "不能修改",
    "frozen_instance": "不能修改",
    "recursion_loop": "嵌套层级过深",
    "recursion_depth_exceeded": "嵌套层级过深",
    # types the API never declares, named so that no English can slip through
    "counter_type": "应为对象",
    "ordered_dict_type": "应为对象",
    "frozen_dict_type": "应为对象",
    "invalid_key": "对象的键格式错误",
    "deque_type": "应为列表",
    "named_tuple_type": "应为列表",
    "fraction_type": "应为数字",
    "fraction_parsing": "应为数字",
    "ellipsis_error": "格式错误",
    "default_factory_not_called": "格式错误",
    "get_attribute_error": "格式错误",
    "missing_sentinel_error": "格式错误",
    "multiple_argument_values": "字段重复",
    "needs_python_object": "格式错误",
    "no_such_attribute": "不允许的字段",
}

GENERIC = "格式错误"


def is_chinese(text: str) -> bool:
    return bool(_CJK.search(text or ""))


def translate(kind: str, message: str = "", ctx: dict[str, Any] | None = None) -> str:
    """The Chinese message of one pydantic error (``type``, ``msg``, ``ctx``)."""
    template = MESSAGES.get(kind)
    if template is None or (kind in {"value_error", "assertion_error"} and is_chinese(message)):
        if is_chinese(message):
            return message.removeprefix("Value error, ").removeprefix("Assertion failed, ")
        return GENERIC
    try:
        return template.format(**(ctx or {}))
    except (KeyError, IndexError, ValueError):
        return GENERIC
