"""The valid sample of every version of every form: version 1's from samples.py, later versions'
from the maternal-child and chronic-care sample modules (a later version without a sample of its
own, such as hypertension v2 which only adds rules, is filled like version 1)."""

from __future__ import annotations

from tests.catalogue.samples import VALID
from tests.catalogue.samples_chronic import LATER_CHRONIC
from tests.catalogue.samples_maternal_child import LATER as MATERNAL_CHILD

# Later versions whose questions differ from version 1's, by (code, version).
LATER: dict[tuple[str, int], dict] = {**MATERNAL_CHILD, **LATER_CHRONIC}


def sample_for(code: str, version: int = 1) -> dict:
    """The valid sample of one version of a form: that of the newest version up to it with a
    sample of its own (postpartum v3 only changes how its visit number is suggested)."""
    own = [v for c, v in LATER if c == code and v <= version]
    return LATER[(code, max(own))] if own else VALID[code]
