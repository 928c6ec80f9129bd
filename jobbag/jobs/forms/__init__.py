"""Forms of the job chain, one module per step; they only parse and clean input."""
