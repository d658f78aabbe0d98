"""The server's routers, one per area: LibreTranslate's API, the native ``/v1`` API, health, and
the web page."""
