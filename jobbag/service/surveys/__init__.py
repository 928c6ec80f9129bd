"""Client service: surveys."""
