"""Errors as a client reads them: ``{"error": "..."}`` with LibreTranslate's status codes, one
line that says what was wrong and what to do, and never a stack trace."""
from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from tarjama.errors import InputError, TarjamaError, api_name

log = logging.getLogger("tarjama.server")

#: Seconds a client told to slow down (503, 429) should wait.
RETRY_AFTER_S = 1


class ApiError(Exception):
    """An answer other than 200: its status, its one-line message and any headers."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def busy() -> ApiError:
    """The queue is full: 503 with Retry-After."""
    return ApiError(503, "the server is busy (its queue of requests is full); retry after "
                         f"{RETRY_AFTER_S} s", {"Retry-After": str(RETRY_AFTER_S)})


def error_response(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    """The JSON error body every endpoint answers with."""
    return JSONResponse({"error": message}, status_code=status, headers=headers)


def request_id(request: Request) -> str:
    """The id the request-id middleware gave this request."""
    return str(getattr(request.state, "request_id", "-"))


def install_error_handlers(app: FastAPI) -> None:
    """Word every error as ``{"error": ...}``; log unexpected ones with the request id."""

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, err: ApiError) -> JSONResponse:
        if err.status >= 500:
            log.warning("request %s: %s", request_id(request), err.message)
        return error_response(err.status, err.message, err.headers)

    @app.exception_handler(TarjamaError)
    async def _tarjama_error(request: Request, err: TarjamaError) -> JSONResponse:
        # The library's advice names a Python setting; over HTTP the field has the same name.
        message = err.problem if err.advice is None else f"{err.problem}; {err.advice.words(api_name)}"
        status = 400 if isinstance(err, InputError) else 500
        if status == 500:
            log.error("request %s: %s", request_id(request), message)
        return error_response(status, message)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, err: RequestValidationError) -> JSONResponse:
        problems = "; ".join(_describe(problem) for problem in err.errors()[:5])
        return error_response(400, f"Invalid request: {problems}")

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, err: StarletteHTTPException) -> JSONResponse:
        return error_response(err.status_code, str(err.detail), dict(err.headers or {}))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, err: Exception) -> JSONResponse:
        rid = request_id(request)
        log.exception("request %s failed", rid)
        return error_response(500, f"internal error (request id {rid}); the server's log has the "
                                   "details")


def _describe(problem: dict) -> str:
    where = ".".join(str(part) for part in problem.get("loc", ()) if part != "body")
    return f"{where}: {problem.get('msg', 'invalid')}" if where else str(problem.get("msg"))
