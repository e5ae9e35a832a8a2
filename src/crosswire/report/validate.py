"""Check a report against the public contract (`contract/report.schema.json` in shared/).

The schema is not copied into the package: it is the contract between this project
and its readers, kept in one place, so callers hand its path in.
"""

from __future__ import annotations

import json
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker


@cache
def report_schema(path: Path) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return schema


def validate_report(report: dict[str, Any], schema_path: Path) -> list[str]:
    """Every way `report` breaks the contract, as 'path: message' lines; empty when valid."""
    errors = _validator(schema_path).iter_errors(report)
    messages = [f"{error.json_path}: {error.message}" for error in errors]
    return sorted(messages)


@cache
def _validator(schema_path: Path) -> Draft202012Validator:
    return Draft202012Validator(report_schema(schema_path), format_checker=_format_checker())


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
