"""Rules of the closing steps, acceptance and summary (who sees a job: .jobs)."""
