"""A supervisor cannot approve, return or reject a record they wrote themselves."""

from __future__ import annotations

import pytest

from server.core.problems import Problem
from server.domain.review.queue import review_record
from server.extensions import db
from tests.factories import make_record, make_resident


@pytest.fixture
def own_record(world):
    """A visit sup1 filed themselves in V1a (supervisors may sync records too)."""
    resident = make_resident(db.session, world.units["V1a"])
    record = make_record(db.session, resident, world.users["sup1"])
    db.session.commit()
    return record


@pytest.mark.parametrize(
    ("action", "body"),
    [("approve", {}), ("return", {"comment": "再看看"}), ("reject", {"reason": "重复"})],
)
def test_reviewing_ones_own_record_is_refused(client, auth, own_record, action, body):
    response = client.post(
        f"/api/review/records/{own_record.id}/{action}",
        json={"version": own_record.version, **body},
        headers=auth.headers("sup1"),
    )

    assert response.status_code == 403
    assert response.get_json()["code"] == "self_review"


def test_bulk_approval_refuses_only_the_own_record(client, auth, world, own_record):
    other = make_record(db.session, own_record.resident, world.users["asst1"])
    db.session.commit()

    response = client.post(
        "/api/review/records/approve",
        json={
            "items": [
                {"id": str(own_record.id), "version": own_record.version},
                {"id": str(other.id), "version": other.version},
            ]
        },
        headers=auth.headers("sup1"),
    )

    results = response.get_json()["results"]
    assert [(r["status"], r.get("code")) for r in results] == [
        ("refused", "self_review"),
        ("approved", None),
    ]


def test_another_reviewer_may_approve_it(client, auth, own_record):
    response = client.post(
        f"/api/review/records/{own_record.id}/approve",
        json={"version": own_record.version},
        headers=auth.headers("admin"),
    )

    assert response.status_code == 200


def test_the_rule_holds_below_the_api(world, own_record):
    with pytest.raises(Problem) as refused:
        review_record(db.session, world.users["sup1"], own_record, "approve", own_record.version)

    assert refused.value.code == "self_review"
