"""LibreTranslate's API, so its clients work unchanged: the same paths, fields, status codes and
``{"error": ...}`` bodies (see LibreTranslate's ``app.py``). Bodies come as JSON or as forms."""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, JSONResponse

from tarjama.language import check_language
from tarjama.server.deps import (
    AuthorizedFields,
    EngineDep,
    Fields,
    SettingsDep,
    text_field,
    upload_field,
    within_time,
)
from tarjama.server.engine import Engine
from tarjama.server.errors import ApiError
from tarjama.server.files import download_name, media_type, supported_suffixes, translate_upload
from tarjama.server.html_text import html_texts, rebuild_html
from tarjama.server.settings import ServerSettings

router = APIRouter(tags=["LibreTranslate"])

SOURCE, TARGET, AUTO = "ar", "en", "auto"
LANGUAGES: list[dict[str, object]] = [{"code": SOURCE, "name": "Arabic", "targets": [TARGET]},
             {"code": TARGET, "name": "English", "targets": []}]
FORMATS_OF_TEXT = ("text", "html")


@router.get("/languages")
async def languages() -> list[dict[str, object]]:
    """The languages: Arabic, translated into English."""
    return LANGUAGES


def detect_language(text: str) -> list[dict[str, object]]:
    """LibreTranslate's detections, most likely first: the share of letters that are Arabic (as
    tarjama decides what to translate) against the share that are not."""
    share = check_language(text).arabic_share
    detections = [{"confidence": round(share * 100, 1), "language": SOURCE},
                  {"confidence": round((1 - share) * 100, 1), "language": TARGET}]
    return sorted(detections, key=lambda d: -float(d["confidence"]))  # type: ignore[arg-type]


@router.post("/detect")
async def detect(fields: AuthorizedFields) -> list[dict[str, object]]:
    """The language of ``q``."""
    return detect_language(text_field(fields, "q") or "")


def _check_languages(fields: Fields) -> str:
    source = text_field(fields, "source")
    target = text_field(fields, "target")
    if source not in (SOURCE, AUTO):
        raise ApiError(400, f"{source} is not supported; this server translates from ar (or "
                            "auto) to en")
    if target != TARGET:
        raise ApiError(400, f"{target} is not supported; this server translates into en")
    return str(source)


@router.post("/translate")
async def translate(fields: AuthorizedFields, engine: EngineDep,
                    settings: SettingsDep) -> JSONResponse:
    """Translate ``q``, a string or a list of strings; each line of a text is a paragraph."""
    q = fields.get("q")
    if q is None or q == "" or q == []:
        raise ApiError(400, "Invalid request: missing q parameter")
    batch = isinstance(q, list)
    texts = q if batch else [q]
    if not all(isinstance(text, str) for text in texts):
        raise ApiError(400, "Invalid request: q must be a string or a list of strings")
    if len(texts) > settings.max_texts:
        raise ApiError(400, f"Invalid request: request ({len(texts)}) exceeds text limit "
                            f"({settings.max_texts})")
    source = _check_languages(fields)
    text_format = text_field(fields, "format", required=False) or "text"
    if text_format not in FORMATS_OF_TEXT:
        raise ApiError(400, f"{text_format} format is not supported; use text or html")
    if text_format == "html":
        english = [await _translate_html(text, engine, settings) for text in texts]
    else:
        # Form bodies may carry \r\n; a line is a paragraph either way.
        translations = await within_time(engine.translate(["\n".join(t.splitlines()) for t in texts]),
                                         settings)
        english = [translation.text for translation in translations]
    result: dict[str, object] = {"translatedText": english if batch else english[0]}
    if source == AUTO:
        detected = [detect_language(text)[0] for text in texts]
        result["detectedLanguage"] = detected if batch else detected[0]
    return JSONResponse(result)


async def _translate_html(document: str, engine: Engine, settings: ServerSettings) -> str:
    pieces, texts = html_texts(document)
    translations = await within_time(engine.translate(texts), settings)
    return rebuild_html(pieces, [t.text for t in translations])


@router.post("/translate_file")
async def translate_file(request: Request, fields: AuthorizedFields,
                         engine: EngineDep,
                         settings: SettingsDep) -> dict[str, str]:
    """Translate an uploaded document; the answer's ``translatedFileUrl`` downloads it."""
    upload = upload_field(fields, "file")
    _check_languages(fields)
    name = upload.filename or ""
    suffix = name[name.rfind("."):].lower() if "." in name else ""
    if suffix not in supported_suffixes():
        raise ApiError(400, f"Invalid request: file format not supported ({suffix or 'no suffix'}); "
                            f"send one of: {', '.join(supported_suffixes())}")
    data = await upload.read()

    async def translate_texts(texts: list[str]) -> list[str]:
        return [t.text for t in await within_time(engine.translate(texts), settings)]

    async def translate_document(data: bytes, format: str, name: str) -> bytes:
        return await within_time(engine.translate_document(data, format, name), settings)

    translated = await translate_upload(data, name, translate_texts, translate_document)
    stored = request.app.state.files.put(name, translated)
    return {"translatedFileUrl": str(request.url_for("download_file", filename=stored))}


@router.get("/download_file/{filename}", name="download_file")
async def download_file(filename: str, request: Request) -> FileResponse:
    """A translated file, by the name ``/translate_file`` gave it."""
    path = request.app.state.files.path(filename)
    if path is None:
        raise ApiError(404, "no such translated file (files are kept for a while only); send the "
                            "document to /translate_file again")
    return FileResponse(path, media_type=media_type(path.name), filename=download_name(filename))
