"""Rules of the job chain's quotes step (see jobs.permissions.jobs for who sees a job)."""
