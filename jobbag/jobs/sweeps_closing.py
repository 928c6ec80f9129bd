"""Daily sweeps of the closing steps: summaries due and late."""

from jobbag.core.sweeps import daily
from jobbag.jobs.services.closing import summaries_remind


@daily("jobs.summaries_due")
def remind_summaries_due() -> dict[str, int]:
    """Summaries due within a working day remind their owner; late ones tell the owner
    and the Marketing Manager(s). Each summary at most once a day (`reminded_on`)."""
    return summaries_remind()
