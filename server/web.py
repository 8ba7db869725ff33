"""Serves the PWA's static files from `pwa/` at the site root."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, send_from_directory

PWA_DIR = Path(__file__).resolve().parent.parent / "pwa"

bp = Blueprint("web", __name__)


@bp.get("/")
def index():
    """The app shell."""
    return send_from_directory(PWA_DIR, "index.html")


@bp.get("/<path:filename>")
def static_file(filename: str):
    """Any file of the client; `/api/...` never reaches here."""
    if filename.startswith("api/"):
        abort(404)
    return send_from_directory(PWA_DIR, filename)
