"""Pages of the client file, one module per topic."""
