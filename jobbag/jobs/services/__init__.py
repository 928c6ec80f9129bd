"""Every state change of the job chain, one module per step. Import from the module:
`from jobbag.jobs.services import quotes` then `quotes.quote_submit(...)`."""
