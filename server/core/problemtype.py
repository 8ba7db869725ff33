"""What a problem is: a type (stable code, HTTP status, English message with `{parameters}`),
the registry every type is defined into once, and `Problem`, the exception that carries one.
The catalogue itself is `server.core.problems`."""

from __future__ import annotations

import string
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ProblemType:
    code: str
    status: int
    message: str

    @property
    def params(self) -> tuple[str, ...]:
        """The names the message needs, so a translation can use the same ones."""
        return tuple(name for _, name, _, _ in string.Formatter().parse(self.message) if name)


PROBLEMS: dict[str, ProblemType] = {}


def _define(code: str, status: int, message: str) -> ProblemType:
    if code in PROBLEMS:
        raise ValueError(f"problem code {code!r} is defined twice")
    PROBLEMS[code] = ProblemType(code, status, message)
    return PROBLEMS[code]


def problem_type(code: str | ProblemType) -> ProblemType:
    """The catalogue entry for a code; an unknown code is a programming error, not a 500 later."""
    if isinstance(code, ProblemType):
        return code
    try:
        return PROBLEMS[code]
    except KeyError:
        raise KeyError(f"{code!r} is not in the catalogue of problems") from None


class Problem(Exception):
    """A refusal a client can act on: raised anywhere, answered as JSON by `server.errors`.

    The message is the catalogue's, filled with `params`, unless `message` replaces it with a
    more precise one. `errors` holds per-field messages; `headers` (Retry-After, Allow) go on
    the HTTP answer.
    """

    def __init__(
        self,
        kind: ProblemType | str,
        message: str | None = None,
        errors: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        **params: Any,
    ) -> None:
        self.type = problem_type(kind)
        self.code = self.type.code
        self.status = self.type.status
        self.message = message or self.type.message.format(**params)
        self.params = params
        self.errors = errors or {}
        self.headers = headers or {}
        super().__init__(self.message)


def catalogue() -> dict[str, dict[str, Any]]:
    """Every code with its status, English message and parameters, sorted by code."""
    return {
        code: {"status": kind.status, "message": kind.message, "params": list(kind.params)}
        for code, kind in sorted(PROBLEMS.items())
    }
