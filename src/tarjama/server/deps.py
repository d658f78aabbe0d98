"""Dependencies the routers share: the engine, the settings, the request's fields as
LibreTranslate's clients send them (JSON or form), and the API-key check."""
from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from json import JSONDecodeError
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from starlette.datastructures import UploadFile

from tarjama.server.batching import QueueFull
from tarjama.server.engine import Engine
from tarjama.server.errors import ApiError, busy
from tarjama.server.keys import ApiKeys, retry_after
from tarjama.server.settings import ServerSettings

T = TypeVar("T")

Fields = dict[str, Any]


def get_engine(request: Request) -> Engine:
    """The engine the app was made with."""
    engine: Engine = request.app.state.engine
    return engine


def get_settings(request: Request) -> ServerSettings:
    """The server's settings."""
    settings: ServerSettings = request.app.state.settings
    return settings


async def request_fields(request: Request) -> Fields:
    """The request's fields: a JSON object's, or a form's (urlencoded or multipart).

    A form field given several times (``q=a&q=b``) is a list, as a JSON list would be.
    """
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "application/json":
        try:
            fields = await request.json()
        except (JSONDecodeError, UnicodeDecodeError):
            raise ApiError(400, "Invalid request: the body is not valid JSON") from None
        if not isinstance(fields, dict):
            raise ApiError(400, "Invalid request: the JSON body must be an object") from None
        return fields
    if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.form()
        fields = {}
        for name in form:
            values = form.getlist(name)
            fields[name] = values[0] if len(values) == 1 else values
        return fields
    return dict(request.query_params)


def _key_of(request: Request, fields: Fields) -> str | None:
    key = fields.get("api_key") or request.query_params.get("api_key") or request.headers.get("x-api-key")
    authorization = request.headers.get("authorization", "")
    if not key and authorization.lower().startswith("bearer "):
        key = authorization[7:].strip()
    return key if isinstance(key, str) and key else None


async def authorized(request: Request, fields: Annotated[Fields, Depends(request_fields)]) -> Fields:
    """The request's fields, once its API key is known and within its rate limit.

    Without API keys every request is let in. A missing or unknown key is 403 and a key past
    its limit 429 with Retry-After, each with a JSON error, as LibreTranslate answers.
    """
    keys: ApiKeys | None = request.app.state.api_keys
    if keys is None:
        return fields
    key = _key_of(request, fields)
    if key is None:
        raise ApiError(403, "Invalid API key: this server needs one; send it as api_key")
    if not keys.knows(key):
        raise ApiError(403, "Invalid API key")
    wait = keys.wait_needed(key)
    if wait:
        raise ApiError(429, f"Slowdown: this key's limit is {keys.limits[key]} requests per "
                            f"minute; retry after {retry_after(wait)} s",
                       {"Retry-After": retry_after(wait)})
    return fields


EngineDep = Annotated[Engine, Depends(get_engine)]
SettingsDep = Annotated[ServerSettings, Depends(get_settings)]
#: The request's fields, its API key checked.
AuthorizedFields = Annotated[Fields, Depends(authorized)]


async def within_time(work: Awaitable[T], settings: ServerSettings) -> T:
    """``work``'s result; 503 when the queue is full, 504 when it takes longer than allowed."""
    try:
        return await asyncio.wait_for(work, settings.request_timeout_s)
    except QueueFull:
        raise busy() from None
    except asyncio.TimeoutError:
        raise ApiError(504, f"the request took longer than {settings.request_timeout_s:g} s; send "
                            "less text at once, or retry when the server is less busy") from None


def text_field(fields: Fields, name: str, *, required: bool = True) -> str | None:
    """A string field; 400 in LibreTranslate's words when it is missing or not a string."""
    value = fields.get(name)
    if value is None or value == "":
        if required:
            raise ApiError(400, f"Invalid request: missing {name} parameter")
        return None
    if not isinstance(value, str):
        raise ApiError(400, f"Invalid request: {name} must be a string")
    return value


def upload_field(fields: Fields, name: str) -> UploadFile:
    """A file field of a multipart form; 400 when it is missing."""
    value = fields.get(name)
    if not isinstance(value, UploadFile):
        raise ApiError(400, f"Invalid request: missing {name} parameter (a file, sent as "
                            "multipart/form-data)")
    return value
