"""Discussion fixtures: threads, guests and readers come from tests/conftest.py (built with
tests/helpers.py), set up through real actions."""
