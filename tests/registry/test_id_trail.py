"""Full ID numbers stay out of server logs and the audit trail: database errors and statement
logs carry no bound values, searches by number travel in request bodies, audits hold masks."""

from __future__ import annotations

import logging
import uuid
from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from server.core.audit import AuditEntry
from server.domain.registry.model import Resident
from server.extensions import db
from server.synced import REGISTRY
from sync.changes import server_write
from sync.models import Conflict
from tests.factories import make_resident, valid_id_number

BORN = date(1960, 5, 1)
NUMBER = valid_id_number(BORN, serial="457")
TYPED = valid_id_number(BORN, serial="475")
SECRET = NUMBER[6:]  # what the mask hides: birth date, sequence and check digits


def test_a_failing_write_logs_no_id_number(world, caplog):
    caplog.set_level(logging.DEBUG)
    db.session.add(
        Resident(id=uuid.uuid4(), village_id=999_999, name="张三", sex="M", birth_date=BORN,
                 id_number=NUMBER, tags=[])
    )  # fmt: skip
    with pytest.raises(IntegrityError) as failed:
        db.session.flush()
    logging.getLogger("server").error("write failed", exc_info=failed.value)
    assert (SECRET in caplog.text, SECRET in str(failed.value)) == (False, False)


def test_database_errors_say_their_parameters_are_hidden(world):
    db.session.add(Resident(id=uuid.uuid4(), village_id=999_999, name="张三", sex="M",
                            birth_date=BORN, id_number=NUMBER, tags=[]))  # fmt: skip
    with pytest.raises(IntegrityError) as failed:
        db.session.flush()
    assert "SQL parameters hidden" in str(failed.value)


@pytest.mark.parametrize(("username", "q"), [("sup1", NUMBER[-6:]), ("admin", NUMBER)])
def test_a_search_by_id_number_logs_the_statement_but_not_the_number(
    client, auth, world, caplog, monkeypatch, username, q
):
    """As when an operator turns statement logging on (SQLALCHEMY_ECHO) to chase a problem."""
    make_resident(db.session, world.units["V1a"], birth_date=BORN, id_number=NUMBER)
    db.session.commit()
    headers = auth.headers(username)
    db.session.close()  # the next request opens a new connection, which reads the echo setting
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")
    monkeypatch.setattr(db.engine, "echo", True)
    response = client.post("/api/residents/search", json={"q": q}, headers=headers)
    assert (response.get_json()["total"], "FROM resident" in caplog.text) == (1, True)
    assert (SECRET in caplog.text, q in caplog.text) == (False, False)


def test_resolving_an_id_number_conflict_audits_only_masks(client, auth, world):
    author = world.users["asst1"]
    resident = make_resident(db.session, world.units["V1a"], birth_date=BORN, id_number=NUMBER)
    server_write(db.session, REGISTRY.of(resident), resident, actor_id=author.id, action="create")
    conflict = Conflict(
        entity="resident", entity_id=str(resident.id), village_id=resident.village_id,
        field="id_number", server_value=NUMBER, client_value=TYPED, base_version=1,
        server_version=resident.version, mutation_id="m-1", author_id=author.id,
    )  # fmt: skip
    db.session.add(conflict)
    db.session.commit()
    response = client.post(
        f"/api/conflicts/{conflict.id}/resolve",
        json={"choice": "client"},
        headers=auth.headers("sup1"),
    )
    assert response.status_code == 200, response.get_json()
    audits = db.session.scalars(select(AuditEntry)).all()
    trail = " ".join(f"{a.before} {a.after} {a.comment}" for a in audits)
    assert (len(audits) >= 3, NUMBER[6:] in trail, TYPED[6:] in trail) == (True, False, False)
