"""Rules of the job chain's reviews step (see jobs.permissions.jobs for who sees a job)."""
