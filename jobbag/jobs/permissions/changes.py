"""Rules of the job chain's changes step (see jobs.permissions.jobs for who sees a job)."""
