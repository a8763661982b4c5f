"""digisafe: audit a laptop for stalkerware, remote access, shared location and photo geotags."""

import os as _os

from digisafe._version import __version__

__all__ = ["__version__"]

# NOTE: the repository's top-level checks/ folder installs as ``digisafe.checks`` (setup.py's
# package_dir). When digisafe is imported straight from a source checkout (``python -m digisafe``
# in the repository, after a non-editable install), let ``digisafe.checks`` resolve to that
# folder too. The setup.py test keeps this from ever applying inside site-packages.
_repo = _os.path.dirname(_os.path.dirname(_os.path.abspath(__file__)))
if _os.path.isfile(_os.path.join(_repo, "setup.py")) and _os.path.isfile(
    _os.path.join(_repo, "checks", "__init__.py")
):
    __path__.append(_repo)  # type: ignore[name-defined]  # noqa: F821
