"""Households and residents: the register, its tags and their spans."""

from server.domain.registry import tagfollow  # noqa: F401  (spans follow every write of the tag list)
