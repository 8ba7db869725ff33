"""A pull of named entities: a phone's one-time backfill of a store it has just gained.

Only those entities' rows, in feed order from zero, paged by a cursor that belongs to the
filter; the phone's own cursor is untouched by it.
"""

from __future__ import annotations

from tests.sync.test_push_effects import booking


def pull(asst1, **query) -> dict:
    response = asst1.client.get("/api/sync/pull", query_string=query, headers=asst1.headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def backfill(asst1, entities: str, limit: int = 1000) -> list[dict]:
    got, cursor = [], None
    while True:
        page = pull(asst1, entities=entities, limit=limit, **({"since": cursor} if cursor else {}))
        got += page["changes"]
        cursor = page["cursor"]
        if not page["has_more"]:
            return got


def test_a_backfill_pull_sends_only_the_named_entities(mother):
    asst1, woman = mother
    asst1.push(booking(woman))
    got = backfill(asst1, "episode,resident_tag")
    assert sorted(c["entity"] for c in got) == ["episode", "resident_tag"]


def test_a_backfill_from_zero_finds_rows_written_before_the_phones_cursor(mother):
    asst1, woman = mother
    asst1.push(booking(woman))
    cursor = asst1.pull()["cursor"]
    assert asst1.pull(cursor)["changes"] == []
    assert [c["entity"] for c in backfill(asst1, "episode")] == ["episode"]


def test_a_backfill_pages_by_its_own_cursor_and_ends(mother):
    asst1, woman = mother
    asst1.push(booking(woman), booking(woman))  # one pregnancy, one span: two rows
    assert len(backfill(asst1, "episode,resident_tag", limit=1)) == 2


def test_a_backfill_cursor_is_refused_by_an_unfiltered_pull(mother):
    asst1, woman = mother
    asst1.push(booking(woman))
    cursor = pull(asst1, entities="episode")["cursor"]
    response = asst1.pull_response(cursor)
    assert response.status_code == 422
    assert response.get_json()["code"] == "cursor_invalid"


def test_a_pull_naming_an_unknown_entity_is_refused(mother):
    asst1, _ = mother
    response = asst1.client.get(
        "/api/sync/pull", query_string={"entities": "episode,task"}, headers=asst1.headers
    )
    assert response.status_code == 422
    assert "task" in str(response.get_json()["errors"])


def test_the_phones_own_cursor_is_refused_by_a_backfill_pull(mother):
    asst1, woman = mother
    asst1.push(booking(woman))
    cursor = asst1.pull()["cursor"]
    response = asst1.client.get(
        "/api/sync/pull",
        query_string={"entities": "episode", "since": cursor},
        headers=asst1.headers,
    )
    assert response.status_code == 422
    assert response.get_json()["code"] == "cursor_invalid"
