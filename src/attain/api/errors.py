"""One JSON shape for every failure the API returns, and the handlers that produce it.

    {"error": {"status": 422, "code": "invalid_input", "message": "...", "problems": [...]}}

`problems` lists `attain.errors.Problem`s as objects (file, line, column, path, message, hint);
for a request that does not fit the schema, `path` is the field's location, e.g.
`body.rows.0.timestamp`. A test pins the shape.
"""

from __future__ import annotations

import traceback
from collections.abc import Sequence
from http import HTTPStatus
from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect

from attain.errors import AttainError, InvalidInput, Problem
from attain.http.request_log import redact
from attain.ports import ResultConflict

_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid_input",
    500: "internal_error",
}


def error_body(status: int, message: str, problems: Sequence[Problem] = ()) -> dict[str, Any]:
    """The error document for a status, a message and the problems behind it."""
    code = _CODES.get(status, HTTPStatus(status).phrase.lower().replace(" ", "_"))
    return {"error": {"status": status, "code": code, "message": message, "problems": [p.as_dict() for p in problems]}}


def error_response(
    status: int, message: str, problems: Sequence[Problem] = (), headers: dict[str, str] | None = None
) -> JSONResponse:
    """The error document as a response."""
    return JSONResponse(error_body(status, message, problems), status_code=status, headers=headers)


def install(app: FastAPI) -> None:
    """Route every failure through `error_response`."""
    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(InvalidInput, _invalid)
    app.add_exception_handler(ResultConflict, _conflict)
    app.add_exception_handler(AttainError, _attain)
    app.add_exception_handler(ClientDisconnect, _gone)
    app.add_exception_handler(Exception, _unexpected)


async def _http(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, HTTPException)
    detail = error.detail if isinstance(error.detail, str) else HTTPStatus(error.status_code).phrase
    return error_response(error.status_code, detail, headers=dict(error.headers or {}))


async def _validation(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    problems = [
        Problem(
            "<request>", None, None, ".".join(str(part) for part in item.get("loc", ())), str(item.get("msg", "")), ""
        )
        for item in error.errors()
    ]
    return error_response(422, "the request does not fit the API schema", problems)


async def _invalid(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, InvalidInput)
    return error_response(422, "the input cannot be used", error.problems)


async def _conflict(_request: Request, error: Exception) -> JSONResponse:
    return error_response(409, str(error))


async def _attain(_request: Request, error: Exception) -> JSONResponse:
    return error_response(400, str(error))


async def _gone(_request: Request, _error: Exception) -> JSONResponse:
    """A client that hung up while sending its body: nobody reads this answer, and it is no server error."""
    return error_response(400, "the client closed the connection before the whole body arrived")


async def _unexpected(request: Request, error: Exception) -> JSONResponse:
    # The traceback is logged as plain text, without the frames' local variables (a pretty traceback
    # would print them, and with them the request's Authorization header), any token in it cut short.
    trace = redact("".join(traceback.format_exception(error)))
    structlog.get_logger("attain.api").error("unhandled error", path=redact(request.url.path), traceback=trace)
    return error_response(500, "internal error; the server log has the details")
