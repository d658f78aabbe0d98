"""The API's interactive documentation at ``/docs``: Swagger UI, its script and style served by
this process from the ``swagger-ui-bundle-v2`` package, so the page works offline (FastAPI's own
page loads them from a CDN). ReDoc is left off: it loads its script and fonts from the web.
The description itself stays at ``/openapi.json``."""
from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response

DOCS_PATH = "/docs"
ASSETS_PATH = "/docs/assets"
#: The files of Swagger UI's distribution that the page loads.
ASSETS = {"swagger-ui-bundle.js": "text/javascript; charset=utf-8",
          "swagger-ui.css": "text/css; charset=utf-8",
          "favicon-32x32.png": "image/png"}
MISSING = ("the API's docs page needs Swagger UI 5 (pip install 'swagger-ui-bundle-v2>=5,<6', part "
           "of tarjama's server extra); the API's description is at /openapi.json")


def swagger_ui_folder() -> Path | None:
    """The folder of Swagger UI 5's files, or ``None`` when it is not installed."""
    try:
        from swagger_ui_bundle import swagger_ui_path
    except ImportError:
        return None
    folder = Path(str(swagger_ui_path))
    # The older swagger-ui-bundle package installs the same module with Swagger UI 4, which
    # cannot read the OpenAPI 3.1 that FastAPI writes.
    if not folder.name.startswith("swagger-ui-5.") or not all((folder / name).is_file()
                                                                for name in ASSETS):
        return None
    return folder


def install_api_docs(app: FastAPI) -> None:
    """``/docs`` on ``app`` (made with ``docs_url=None, redoc_url=None``), every file it loads
    served by ``app``."""
    folder = swagger_ui_folder()

    if folder is None:
        @app.get(DOCS_PATH, include_in_schema=False)
        async def no_docs() -> JSONResponse:
            return JSONResponse({"error": MISSING}, status_code=404)
        return

    @app.get(DOCS_PATH, include_in_schema=False)
    async def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json", title=f"{app.title} API",
            swagger_js_url=f"{ASSETS_PATH}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS_PATH}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS_PATH}/favicon-32x32.png",
            # No badge that would send the description to swagger.io's validator.
            swagger_ui_parameters={"validatorUrl": None})

    @app.get(ASSETS_PATH + "/{name}", include_in_schema=False)
    async def asset(name: str) -> Response:
        if name not in ASSETS:
            return JSONResponse({"error": "Not Found"}, status_code=404)
        return FileResponse(folder / name, media_type=ASSETS[name],
                            headers={"Cache-Control": "public, max-age=86400"})
