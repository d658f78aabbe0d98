"""The web page at ``/`` and its assets, served from the package (no CDN: it works offline)."""
from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

STATIC = Path(__file__).resolve().parent.parent / "static"

router = APIRouter(include_in_schema=False)


@router.get("/")
async def page() -> FileResponse:
    """The page: Arabic in, English beside it sentence by sentence."""
    return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8")
