"""The phone mirrors the server's synced entities (pwa/js/entities.js) and keeps its data when the
database schema moves on (pwa/js/db.js)."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import REPO
from tests.browser.olddb import OLD_DATABASE

ENTITIES_JS = REPO / "pwa" / "js" / "entities.js"
SYNC_MODULES = ("db.js", "outbox.js", "sync.js")


def server_entities() -> set[str]:
    """The entity names the server hands the sync engine."""
    from server.synced import REGISTRY

    return set(REGISTRY)


def js_entities() -> list[str]:
    return re.findall(r"\bentity: '(\w+)'", ENTITIES_JS.read_text(encoding="utf-8"))


def test_the_phone_declares_the_entities_the_server_syncs():
    assert sorted(js_entities()) == sorted(server_entities())


def test_each_entity_is_declared_once():
    names = js_entities()
    assert len(names) == len(set(names))


@pytest.mark.parametrize("module", SYNC_MODULES)
def test_sync_modules_name_no_entity_of_their_own(module):
    source = (REPO / "pwa" / "js" / module).read_text(encoding="utf-8")
    quoted = {name for name in server_entities() if re.search(rf"['\"`]{name}['\"`]", source)}
    assert quoted == set()


READ_BACK = """async (stores) => {
  const db = await import('/js/db.js');
  const out = { version: (await db.openDB()).version, rows: {}, indexes: {} };
  for (const store of stores) {
    out.rows[store] = await db.getAll(store);
    out.indexes[store] = await db.tx(store, 'readonly', (s) => [...s[store].indexNames].sort());
  }
  return out;
}"""

HOUSEHOLD = {"id": "h1", "village_id": 7, "address": "东街 1 号", "version": 2, "local": False}
RESIDENT = {"id": "r1", "household_id": "h1", "name": "王芳", "version": 1, "local": True}
RECORD = {"id": "s1", "resident_id": "r1", "form_code": "bp", "data": {"sbp": 120}, "local": True}
MUTATION = {
    "seq": 1, "mutation_id": "m1", "entity": "service_record", "op": "create", "id": "s1",
    "base_version": None, "data": RECORD, "state": "waiting", "attempts": 0,
}  # fmt: skip
V1_ROWS = {
    "households": [HOUSEHOLD],
    "residents": [RESIDENT],
    "records": [RECORD],
    "outbox": [MUTATION],
    "drafts": [{"key": "form:bp:r1", "value": {"sbp": "13"}}],
    "meta": [{"key": "cursor", "value": "c-41"}, {"key": "device_id", "value": "pwa-x"}],
}


def test_a_version_1_database_keeps_its_data_and_outbox_after_the_upgrade(tab):
    tab.evaluate(OLD_DATABASE, [1, V1_ROWS])
    got = tab.evaluate(READ_BACK, list(V1_ROWS))
    assert got["version"] > 1
    assert got["rows"] == V1_ROWS


def test_a_version_1_database_keeps_its_indexes_after_the_upgrade(tab):
    tab.evaluate(OLD_DATABASE, [1, V1_ROWS])
    got = tab.evaluate(READ_BACK, list(V1_ROWS))
    assert got["indexes"]["outbox"] == ["entity_id", "mutation_id"]
    assert got["indexes"]["residents"] == ["household_id"]


def test_a_new_database_has_a_store_with_the_indexes_of_each_entity(tab):
    declared = tab.evaluate(
        "async () => (await import('/js/entities.js')).ENTITIES"
        ".map((e) => ({ store: e.store, indexes: [...e.indexes].sort() }))"
    )
    got = tab.evaluate(READ_BACK, [d["store"] for d in declared])
    assert {d["store"]: d["indexes"] for d in declared} == got["indexes"]


def test_the_push_leaves_out_entities_the_phone_does_not_upload(tab):
    waiting = tab.evaluate(
        """async () => {
          const db = await import('/js/db.js');
          const outbox = await import('/js/outbox.js');
          await db.tx('outbox', 'readwrite', (s) => {
            s.outbox.add({ mutation_id: 'n1', entity: 'notice', op: 'update', id: 'x',
                           state: 'waiting' });
          });
          await outbox.queue('household', 'create', { id: 'h9', address: 'a' }, { address: 'a' });
          return (await outbox.waiting()).map((m) => m.entity);
        }"""
    )
    assert waiting == ["household"]


def test_the_phone_refuses_to_queue_an_entity_it_does_not_upload(tab):
    refused = tab.evaluate(
        """async () => {
          const outbox = await import('/js/outbox.js');
          try { await outbox.queue('notice', 'create', { id: 'n' }, {}); return false; }
          catch (_) { return (await outbox.all()).length === 0; }
        }"""
    )
    assert refused is True
