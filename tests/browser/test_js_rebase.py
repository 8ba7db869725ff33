"""The field app rebases an edit the server answered stale_version (pwa/js/rebase.js, outbox.js).

Same rule as the reference client (tests/sync/test_client_stale.py): the new base is the record's
confirmed version, never above the server's, plus the phone's own edits of it waiting ahead;
the edit is sent again under a new mutation id while that base keeps moving, at most
MAX_REBASES times (the rule itself: tests/contracts/rebase.json). Run in Chromium against the
real files under pwa/js.
"""

from __future__ import annotations

HOUSEHOLD = {
    "id": "6f1c2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b",
    "address": "村口1号",
    "head_name": "王建国",
    "low_income": False,
    "version": 1,
}


SETTLE = """
async ({ row, answers }) => {
  const outbox = await import('/js/outbox.js');
  const { tx } = await import('/js/db.js');
  await tx('households', 'readwrite', (s) => { s.households.put(row); });
  const sent = [];
  for (const patch of [{ address: '' }, { head_name: '李四' }]) {
    await outbox.queue('household', 'update', { ...row, ...patch }, patch);
    const all = await outbox.all();
    await outbox.markAttempted(all);  // sent once: the next edit is queued, not folded in
    sent.push(all[all.length - 1]);
  }
  const rounds = [];
  let batch = sent;
  for (const answer of answers) {
    const results = batch.map((m, i) => ({
      mutation_id: m.mutation_id, id: m.id, status: 'rejected', version: null, ...answer[i],
    }));
    const counts = await outbox.settle(batch, results);
    const all = await outbox.all();
    rounds.push({ counts, outbox: all });
    batch = all.filter((m) => m.state === 'waiting');
  }
  return { sent, rounds };
}
"""
REFUSED = {"code": "validation_error", "errors": {"address": ["Required."]}}
STALE = {"code": "stale_version", "server_version": 1}


def test_an_edit_behind_a_refused_edit_waits_again_on_the_servers_version(tab):
    out = tab.evaluate(SETTLE, {"row": HOUSEHOLD, "answers": [[REFUSED, STALE]]})
    first, second = out["sent"]
    assert (first["base_version"], second["base_version"]) == (1, 2)
    [round_] = out["rounds"]
    assert round_["counts"] == {"settled": 0, "rejected": 1, "rebased": 1}
    refused, waiting = round_["outbox"]
    assert (refused["state"], refused["code"]) == ("rejected", "validation_error")
    assert (waiting["state"], waiting["base_version"], waiting["rebases"]) == ("waiting", 1, 1)
    assert waiting["mutation_id"] != second["mutation_id"]
    assert waiting["data"] == {"head_name": "李四"}


def test_an_edit_still_stale_on_its_new_base_is_set_aside_with_the_reason(tab):
    answers = [[REFUSED, STALE], [STALE]]
    out = tab.evaluate(SETTLE, {"row": HOUSEHOLD, "answers": answers})
    last = out["rounds"][-1]
    assert last["counts"] == {"settled": 0, "rejected": 1, "rebased": 0}
    assert [(m["state"], m["code"]) for m in last["outbox"]] == [
        ("rejected", "validation_error"),
        ("rejected", "stale_version"),
    ]
