"""Rules of the job chain's plans step (see jobs.permissions.jobs for who sees a job)."""
