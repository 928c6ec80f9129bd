"""Client service: health."""
