"""The FastAPI app: routers per area, limits as middleware, errors as ``{"error": ...}``."""
from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles

from tarjama._version import __version__
from tarjama.server.api_docs import install_api_docs
from tarjama.server.engine import Engine
from tarjama.server.errors import install_error_handlers
from tarjama.server.files import FileStore
from tarjama.server.keys import ApiKeys
from tarjama.server.middleware import BodyLimit, RequestId
from tarjama.server.routers import health, libretranslate, native, web
from tarjama.server.routers.web import STATIC
from tarjama.server.settings import ServerSettings

UPLOAD_PATHS = ("/translate_file",)

log = logging.getLogger("tarjama.server")


def create_app(engine: Engine, settings: ServerSettings | None = None) -> FastAPI:
    """The app serving ``engine``'s models with ``settings``' limits.

    The engine is started (its model loaded) when the app starts, and stopped after the requests
    in flight are answered when it shuts down.
    """
    settings = settings or ServerSettings()
    api_keys = ApiKeys.read(settings.api_keys) if settings.api_keys is not None else None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        files = FileStore(settings.max_stored_files, settings.file_ttl_s)
        app.state.files = files
        await engine.start()
        log.info("ready: %s", engine.signature)
        try:
            yield
        finally:
            await engine.stop()
            files.close()

    app = FastAPI(title="tarjama", version=__version__, lifespan=lifespan,
                  docs_url=None, redoc_url=None,
                  description="Arabic news into English: LibreTranslate's API, and tarjama's own "
                              "under /v1.")
    app.state.engine = engine
    app.state.settings = settings
    app.state.api_keys = api_keys
    install_error_handlers(app)
    install_api_docs(app)
    for router in (health.router, libretranslate.router, native.router, web.router):
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    def body_limit(path: str) -> int:
        return settings.max_upload_bytes if path in UPLOAD_PATHS else settings.max_request_bytes

    app.add_middleware(BodyLimit, limit_for=body_limit)
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=list(settings.cors_origins),
                           allow_methods=["GET", "POST"], allow_headers=["*"])
    app.add_middleware(RequestId)
    return app
