"""Example digisafe plugin package."""
