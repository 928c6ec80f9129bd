"""Rules of the job chain's work_orders step (see jobs.permissions.jobs for who sees a job)."""
