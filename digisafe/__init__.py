"""digisafe: audit a laptop for stalkerware, remote access, shared location and photo geotags."""

from digisafe._version import __version__

__all__ = ["__version__"]
