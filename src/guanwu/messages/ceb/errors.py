"""The errors of the CEB message layer; ``str(error)`` is Chinese, for the operator."""

from __future__ import annotations


class CebMessageError(ValueError):
    """Base of every CEB message error."""


class CebBuildError(CebMessageError):
    """Data that cannot be written as a message (a value of the wrong type, a control character);
    the message names the element."""


class CebParseError(CebMessageError):
    """A received file that cannot be read: not XML, not a CEB message, the wrong message type,
    a value that does not read in its format. Nothing else escapes the parsers."""
