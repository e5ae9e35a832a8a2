"""schemathesis against the app's own OpenAPI document: generated requests to every
operation (bounded, so it runs in seconds), each response checked against what the
document promises (status codes, content types, response schemas, no server errors).
Writes run with a token the generator does not know, so they answer the documented 401.

The operations are driven through schemathesis's Python API with Hypothesis directly:
its pytest plugin does not run under this pytest (9.x).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from web_server import TOKEN, copy_db, corpus_db

from crosswire.web import create_app

__all__ = ["corpus_db"]
EXAMPLES = 25


@pytest.fixture(scope="module")
def web_schema(corpus_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    url = copy_db(corpus_db, tmp_path_factory.mktemp("web-schema"), "schema.db")
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(url, token=TOKEN))


def test_every_operation_keeps_its_openapi_promises(web_schema: Any) -> None:
    operations = [result.ok() for result in web_schema.get_all_operations()]
    assert len(operations) >= 9
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def check(case: Any) -> None:
            case.call_and_validate()

        check()
