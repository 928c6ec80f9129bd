"""Pages of the job chain, one module per step; each module lists its own urlpatterns."""
