"""The field app rebases an edit the server answered stale_version (pwa/js/rebase.js, outbox.js).

Same rule as the reference client (tests/sync/test_client.py): the new base is the record's
confirmed version, never above the server's, plus the phone's own edits of it waiting ahead;
the edit is sent again under a new mutation id while that base keeps moving, at most
MAX_REBASES times. Run in Chromium against the real files under pwa/js.
"""

from __future__ import annotations

import pytest

HOUSEHOLD = {
    "id": "6f1c2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b",
    "address": "村口1号",
    "head_name": "王建国",
    "low_income": False,
    "version": 1,
}


def rebased_base(tab, **arg) -> int | None:
    return tab.evaluate(
        "async (arg) => (await import('/js/rebase.js')).rebasedBase(arg)",
        {"ahead": 0, "rebases": 0, **arg},
    )


@pytest.mark.parametrize(
    ("arg", "expected"),
    [
        ({"rejectedBase": 5, "confirmed": 3, "serverVersion": 3}, 3),
        ({"rejectedBase": 7, "confirmed": 3, "serverVersion": 3, "ahead": 2}, 5),
        ({"rejectedBase": 5, "confirmed": 2, "serverVersion": 4}, 2),
        ({"rejectedBase": 7, "confirmed": None, "serverVersion": 4, "ahead": 1}, 5),
        ({"rejectedBase": 7, "confirmed": 5, "serverVersion": None}, 5),
    ],
    ids=["confirmed", "plus-ahead", "not-past-unseen", "none-held", "no-server-version"],
)
def test_a_stale_edit_is_rebased_on_the_confirmed_version_plus_the_edits_ahead(tab, arg, expected):
    assert rebased_base(tab, **arg) == expected


def test_a_stale_edit_whose_base_did_not_move_is_set_aside(tab):
    assert rebased_base(tab, rejectedBase=5, confirmed=4, serverVersion=4, ahead=1) is None


def test_a_stale_edit_is_rebased_at_most_max_rebases_times(tab):
    limit = tab.evaluate("async () => (await import('/js/rebase.js')).MAX_REBASES")
    arg = {"rejectedBase": 5, "confirmed": 3, "serverVersion": 3}
    assert rebased_base(tab, **arg, rebases=limit - 1) == 3
    assert rebased_base(tab, **arg, rebases=limit) is None


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
