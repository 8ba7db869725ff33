"""Only the client's own kinds of file are served from pwa/: tooling beside it never is."""

from __future__ import annotations

import re

import pytest

from server.web import PWA_DIR, is_served, shell_of


def status_of(client, path: str) -> int:
    response = client.get(path)
    response.close()  # a file answer holds the file open until closed
    return response.status_code


def test_the_icon_tool_is_not_served(client):
    assert (PWA_DIR / "icons" / "make_icons.py").exists()
    assert status_of(client, "/icons/make_icons.py") == 404


def test_every_precached_file_is_served(client):
    sw = client.get("/sw.js").get_data(as_text=True)
    precached = re.search(r"\[(\"/[^\]]*)\]", sw)
    assert precached, "the service worker lists its precache"
    files = re.findall(r'"(/[^"]+)"', precached.group(1))
    assert set(files) == set(shell_of(PWA_DIR).files)
    assert len(files) > 20
    for path in files:
        assert status_of(client, path) == 200, path


def test_the_workspace_files_are_served(client):
    for path in ("/js/workspace/workspace.js", "/css/workspace.css"):
        assert status_of(client, path) == 200, path


@pytest.mark.parametrize(
    ("filename", "served"),
    [
        ("index.html", True),
        ("js/main.js", True),
        ("css/app.css", True),
        ("icons/icon-192.png", True),
        ("icons/icon.svg", True),
        ("manifest.webmanifest", True),
        ("icons/make_icons.py", False),
        ("README.md", False),
        ("js/main.js.map", False),
        (".eslintrc.json", False),
        ("js/.hidden.js", False),
        ("js/__pycache__/x.js", False),
        ("package.json", False),
    ],
)
def test_what_is_served(filename, served):
    assert is_served(filename) is served
