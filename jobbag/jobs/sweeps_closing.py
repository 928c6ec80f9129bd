"""Daily sweeps of the closing steps: summaries due and late."""
