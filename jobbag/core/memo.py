"""Per-request memory for what permission checks read again and again (the clients a
user serves, their team): inside `with remembered(user):` a value is computed once;
outside, always afresh, so services and tests never see a stale answer.

    with remembered(request.user):
        ...  # every recall(user, key, compute) in here computes once per key
"""

from collections.abc import Callable
from contextlib import contextmanager
from typing import Any

MEMO = "_jobbag_memo"


@contextmanager
def remembered(user):
    """Remember within the block; a nested block shares (and leaves) the outer memory."""
    if MEMO in user.__dict__:
        yield
        return
    user.__dict__[MEMO] = {}
    try:
        yield
    finally:
        user.__dict__.pop(MEMO, None)


def recall(user, key, compute: Callable[[], Any]) -> Any:
    memo = user.__dict__.get(MEMO)
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]
