"""Check a report against the schema that ships with the package (the public contract)."""

from __future__ import annotations

import json
from datetime import datetime
from functools import cache
from importlib.resources import files
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker

SCHEMA_FILE = "report.schema.json"


@cache
def report_schema() -> dict[str, Any]:
    text = files("crosswire.report").joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def validate_report(report: dict[str, Any]) -> list[str]:
    """Every way `report` breaks the contract, as 'path: message' lines; empty when valid."""
    errors = _validator().iter_errors(report)
    messages = [f"{error.json_path}: {error.message}" for error in errors]
    return sorted(messages)


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(report_schema(), format_checker=_format_checker())


def _format_checker() -> FormatChecker:
    # jsonschema checks "date-time" only when the optional rfc3339-validator is
    # installed; checking it ourselves makes validation the same on every machine.
    checker = FormatChecker(formats=())
    checker.checks("date-time", raises=ValueError)(_is_date_time)
    return checker


def _is_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True  # the "type" keyword reports non-strings
    moment = datetime.fromisoformat(value)
    # RFC 3339 date-time needs a time and an offset; a bare date or naive time is not one.
    return "T" in value.upper() and moment.tzinfo is not None
