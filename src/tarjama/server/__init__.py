"""``tarjama serve``: an HTTP API that LibreTranslate's clients speak, a native API and a web page.

A thin layer over the library: the routers parse requests and word errors, :mod:`.engine` runs
the models (in this process or on Ray Serve), :mod:`.batching` coalesces concurrent requests into
shared model batches. Needs the ``server`` extra (``pip install 'tarjama[server]'``).
"""
from tarjama.server.settings import ServerSettings

__all__ = ["ServerSettings", "create_app"]


def __getattr__(name: str) -> object:
    # FastAPI is imported only when an app is made, so the settings can be read without it.
    if name == "create_app":
        from tarjama.server.app import create_app

        return create_app
    raise AttributeError(name)
