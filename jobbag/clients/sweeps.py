"""The client file's daily sweep: reminders of next steps from the contact log."""

from jobbag.clients.services.contact_log import remind_next_steps_due
from jobbag.core.sweeps import daily


@daily("clients.next_steps_due")
def next_steps_due() -> None:
    remind_next_steps_due()
