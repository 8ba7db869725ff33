"""The reference client waits as a busy server asks (503 + Retry-After) and resends the batch."""

from __future__ import annotations

import pytest

from sync.client import BACKOFF_CAP, HttpRequest, HttpResponse, SyncClient, retry_delay

BUSY = HttpResponse(503, {"code": "database_busy"}, {"retry-after": "2"})


class BusyThenServing:
    """Answers the first `busy` pushes 503 + Retry-After, then applies every mutation."""

    def __init__(self, busy: int) -> None:
        self.busy = busy
        self.pushes: list[list[str]] = []

    def __call__(self, request: HttpRequest) -> HttpResponse:
        ids = [m["mutation_id"] for m in request.json["mutations"]]
        self.pushes.append(ids)
        if len(self.pushes) <= self.busy:
            return BUSY
        results = [{"mutation_id": i, "status": "applied", "version": 1} for i in ids]
        return HttpResponse(200, {"results": results})


def test_a_busy_answer_is_waited_out_and_the_same_batch_sent_again() -> None:
    server, slept = BusyThenServing(busy=2), []
    client = SyncClient(server, device_id="phone-0001", sleep=slept.append, rand=lambda: 0.5)
    client.create("household", {"address": "村口1号"})

    report = client.push()

    assert report.count("applied") == 1
    assert len(server.pushes) == 3 and server.pushes[0] == server.pushes[1] == server.pushes[2]
    assert slept == [3.0, 3.0]  # Retry-After 2 s, plus half as much again of jitter
    assert client.outbox == []


@pytest.mark.parametrize(
    ("failure", "attempt", "rand", "expected"),
    [
        (BUSY, 1, 0.0, 2.0),
        (BUSY, 5, 1.0, 4.0),
        (HttpResponse(429, None, {"retry-after": "10"}), 1, 0.25, 12.5),
        (HttpResponse(503, None, {"retry-after": "120"}), 1, 0.0, BACKOFF_CAP),
        (HttpResponse(503, None, {"retry-after": "Wed, 21 Oct 2026 07:28:00 GMT"}), 1, 1.0, 1.0),
        (HttpResponse(500, None), 2, 1.0, 2.0),
        (HttpResponse(500, None), 3, 0.5, 2.0),
        (ConnectionError("reset"), 1, 1.0, 1.0),
    ],
)
def test_retry_delay_honours_retry_after_and_otherwise_backs_off(
    failure, attempt: int, rand: float, expected: float
) -> None:
    assert retry_delay(failure, attempt, rand) == expected


def test_a_sign_in_answered_busy_is_sent_again_after_the_wait() -> None:
    answers = [BUSY, HttpResponse(200, {"access_token": "a", "refresh_token": "r"})]
    slept: list[float] = []
    client = SyncClient(
        lambda request: answers.pop(0), device_id="phone-0001", sleep=slept.append, rand=lambda: 0
    )

    client.login("asst1", "secret")

    assert (client.access_token, slept) == ("a", [2.0])
