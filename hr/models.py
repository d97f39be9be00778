"""Models of the hr app."""
