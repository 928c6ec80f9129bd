"""One module per topic."""
