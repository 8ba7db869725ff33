"""What one role receives about a resident, surface by surface, and an attacker's count of the ID
numbers still possible after reading it (tests/registry/test_id_candidates.py)."""

from __future__ import annotations

import io
import re
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from flask.testing import FlaskClient
from sqlalchemy import text

from server.domain.registry.idnumber import check_character
from server.extensions import db

REGION = "350521"
BORN = date(1960, 5, 1)
SEX = "M"
_TOKEN = re.compile(r"[0-9X*]{18}")


def numbers_for(region: str, born: date, sex: str) -> list[str]:
    """Every valid number of someone of this region, birth date and sex: sequence digits 15-17
    free except the parity of the 17th (odd for men), the check digit following from the rest."""
    parity = 1 if sex == "M" else 0
    out = []
    for seq in range(1000):
        if seq % 2 != parity:
            continue
        first17 = f"{region}{born:%Y%m%d}{seq:03d}"
        out.append(first17 + check_character(first17))
    return out


def remaining(received: str, number: str, born: date, sex: str, regions: list[str]) -> int:
    """How many numbers an attacker still holds possible for a resident after reading `received`.

    Known beforehand: the birth date and sex (every surface shows them) and the region codes of
    the county. Each 18-character token (a mask, or a number) narrows the candidates to those it
    fits; the attacker uses the token about this resident (the one the true number fits) that
    narrows most.
    """
    possible = [n for region in regions for n in numbers_for(region, born, sex)]
    best = len(possible)
    for token in set(_TOKEN.findall(received.upper())):
        fits = [n for n in possible if all(t in ("*", c) for t, c in zip(token, n, strict=True))]
        if number in fits:
            best = min(best, len(fits))
    return best


@dataclass
class Exposed:
    """One resident in V1a with a household, a service record and an open ID-number conflict."""

    resident_id: uuid.UUID
    household_id: uuid.UUID
    record_id: uuid.UUID
    conflict_id: int
    number: str


def set_number(resident_id: uuid.UUID, conflict_id: int, number: str) -> None:
    """Gives the resident another number, touching nothing else (no version, no timestamp), so
    two answers differ only if the number itself shows through."""
    db.session.execute(
        text("UPDATE resident SET id_number = :n WHERE id = :id"),
        {"n": number, "id": resident_id.hex if db.engine.dialect.name == "sqlite" else resident_id},
    )
    db.session.execute(
        text("UPDATE sync_conflict SET server_value = :v WHERE id = :id"),
        {"v": f'"{number}"', "id": conflict_id},
    )
    db.session.commit()


def _xlsx_text(response) -> str:
    """The sheets' XML of a workbook (its zip also holds creation times), or a refusal's body."""
    if response.status_code != 200:
        return _body(response)
    with zipfile.ZipFile(io.BytesIO(response.get_data())) as book:
        names = sorted(n for n in book.namelist() if n.startswith("xl/worksheets/"))
        return "".join(book.read(n).decode("utf-8") for n in names)


Fetch = Callable[[FlaskClient, dict, Exposed], str]


def _body(response) -> str:
    return f"{response.status_code} {response.get_data(as_text=True)}"


SURFACES: dict[str, Fetch] = {
    "feed": lambda c, h, x: _body(c.get("/api/sync/pull?limit=1000", headers=h)),
    "list": lambda c, h, x: _body(c.get("/api/residents", headers=h)),
    "detail": lambda c, h, x: _body(c.get(f"/api/residents/{x.resident_id}", headers=h)),
    "household": lambda c, h, x: _body(c.get(f"/api/households/{x.household_id}", headers=h)),
    "search by ID tail": lambda c, h, x: _body(
        c.post("/api/residents/search", json={"q": x.number[-4:]}, headers=h)
    ),
    "search by birth-date digits": lambda c, h, x: _body(
        c.post("/api/residents/search", json={"q": x.number[6:14]}, headers=h)
    ),
    "search by ID head": lambda c, h, x: _body(
        c.post("/api/residents/search", json={"q": x.number[:15]}, headers=h)
    ),
    "search in the URL": lambda c, h, x: _body(
        c.get("/api/residents", query_string={"q": x.number[-6:]}, headers=h)
    ),
    "duplicates of the resident": lambda c, h, x: _body(
        c.post("/api/residents/duplicates", json={"like_id": str(x.resident_id)}, headers=h)
    ),
    "duplicates by name and birth date": lambda c, h, x: _body(
        c.post(
            "/api/residents/duplicates",
            json={"name": "张三丰", "birth_date": BORN.isoformat()},
            headers=h,
        )
    ),
    "export CSV": lambda c, h, x: _body(c.get("/api/exports/records.csv", headers=h)),
    "export XLSX": lambda c, h, x: _xlsx_text(c.get("/api/exports/records.xlsx", headers=h)),
    "review queue": lambda c, h, x: _body(c.get("/api/review/records", headers=h)),
    "record view": lambda c, h, x: _body(c.get(f"/api/review/records/{x.record_id}", headers=h)),
    "conflicts list": lambda c, h, x: _body(c.get("/api/conflicts", headers=h)),
    "error: resolving with a wrong number": lambda c, h, x: _body(
        c.post(
            f"/api/conflicts/{x.conflict_id}/resolve",
            json={"choice": "custom", "value": x.number[:17] + _wrong_check(x.number)},
            headers=h,
        )
    ),
    "error: a push whose number and birth date differ": lambda c, h, x: _refused_push(c, h, x),
}


def _wrong_check(number: str) -> str:
    return "1" if number[-1] != "1" else "2"


def _refused_push(client: FlaskClient, headers: dict, x: Exposed) -> str:
    """A push moving the birth date away from the one in the number: refused, with a reason."""
    mutation_id = str(uuid.uuid4())
    mutation = {
        "mutation_id": mutation_id,
        "entity": "resident",
        "op": "update",
        "id": str(x.resident_id),
        "base_version": 1,
        "data": {"birth_date": "1960-05-02"},
    }
    body = {"device_id": "dev-attacker", "mutations": [mutation]}
    answer = _body(client.post("/api/sync/push", json=body, headers=headers))
    return answer.replace(mutation_id, "<mutation>")
