"""Read queries of the job chain that pages, API and tasks share, one module per step."""
