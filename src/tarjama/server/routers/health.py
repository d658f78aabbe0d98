"""Liveness and readiness, for load balancers and orchestrators."""
from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from tarjama.server.deps import EngineDep

router = APIRouter(tags=["health"])


@router.get("/health")
async def health() -> dict[str, str]:
    """200 while the process serves HTTP."""
    return {"status": "ok"}


@router.get("/ready")
async def ready(engine: EngineDep) -> JSONResponse:
    """200 once the translation model is loaded and requests are taken; 503 before and while
    shutting down."""
    if not engine.ready:
        return JSONResponse({"status": "loading", "error": "the model is not loaded yet"},
                            status_code=503, headers={"Retry-After": "1"})
    return JSONResponse({"status": "ready", "waiting": engine.waiting,
                         "in_flight": engine.in_flight})
