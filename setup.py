"""digisafe: audit a laptop for stalkerware, remote access, shared location and photo geotags.

Dependencies, and why each one earns its place:
- click: the command-line interface (design card).
- psutil: processes, sockets and login sessions on Linux, macOS and Windows alike (design card).
- tabulate: terminal tables (design card).
- exifread: an independent EXIF reader to cross-check our own photo walkers (design card).
- requests: the one network feature, `digisafe indicators update`, with TLS verification (design card).
- PyYAML: the public stalkerware indicator feeds are YAML; loaded only with yaml.safe_load.
- tomli (Python < 3.11 only): profiles are TOML; Python 3.11+ has tomllib in the standard library.
- brotli: JPEG XL files may keep their Exif/XMP in Brotli-compressed `brob` boxes; without a
  decoder we could only refuse them (fail closed). Google's reference binding, wheels everywhere.
- fpdf2: printable PDF checklists in pure Python, with embedded Unicode fonts and no system
  libraries (reportlab's open-source edition needs more code for the same page flow; weasyprint
  needs Pango/Cairo installed on the laptop).
- cryptography: X.509 certificates and PKCS#7 SignedData in APK signatures (phone audit: who signed
  each app); wheels for every platform, maintained by the PyCA.
  Also the incident log (`digisafe log`): scrypt, X25519, HKDF and ChaCha20-Poly1305
  (wheels for Python 3.9-3.13 on Linux, macOS and Windows). Chosen over age
  through pyrage because pyrage needs Python 3.10+ (macOS ships 3.9) and cannot set the scrypt
  cost (so tests could not use a fast setting). We use a key pair: records are sealed to the
  log's public key, so `log add`, `log attach` and `--log` from other commands need no passphrase
  (fewer times it is typed where it can be seen; scripts and audits need no secret), while reading
  needs the passphrase, which unwraps the private key (scrypt N=2**18, r=8). The trade-off: anyone
  who can write the log folder can add records (never read them); docs/records.md says so.

Not a dependency, on purpose:
- adbutils (phone transport). Its wheels ship an adb binary only for manylinux x86_64 and Windows
  amd64 (2.12.0: nothing for macOS or Linux arm64, which get an sdist without adb), it pulls in
  requests, retry2, deprecation and Pillow, starts adb servers itself, and its API includes install,
  uninstall and arbitrary shell commands. The adb host protocol we need (host:version,
  host:devices-l, host:transport, shell/shell v2, sync STAT/RECV) is ~300 lines in
  digisafe/android/, where every socket has a timeout, every output a size cap, and every command
  passes one read-only allow-list. adb itself comes from Google's platform-tools (or the OS's
  package), which the caseworker usually has already; digisafe says how to get it when it is absent.
"""

import re
from pathlib import Path

from setuptools import find_packages, setup

HERE = Path(__file__).parent
VERSION = {
    "__version__": re.search(r'__version__ = "([^"]+)"', (HERE / "digisafe" / "_version.py").read_text()).group(1)
}

setup(
    name="digisafe",
    version=VERSION["__version__"],
    description="Audit a laptop for stalkerware, remote access, shared location and photo geotags",
    long_description=(HERE / "README.md").read_text(encoding="utf-8"),
    long_description_content_type="text/markdown",
    license="MIT",
    python_requires=">=3.9",
    # The top-level checks/ folder installs as digisafe.checks, so it never collides with any
    # other distribution's top-level "checks" package.
    packages=find_packages(include=["digisafe", "digisafe.*"]) + ["digisafe.checks"],
    package_dir={"digisafe": "digisafe", "digisafe.checks": "checks"},
    include_package_data=True,
    package_data={"digisafe": ["content/*", "content/**/*", "indicators/data/*"]},
    install_requires=[
        "click>=8.0",
        "psutil>=6.0",
        "tabulate>=0.9",
        "exifread>=3.0",
        "requests>=2.28",
        "PyYAML>=6.0",
        "tomli>=1.1; python_version < '3.11'",
        "fpdf2>=2.7.6",
        "brotli>=1.1",
        "cryptography>=41",
    ],
    extras_require={
        # Test-only: real photos with GPS (Pillow, pillow-heif), PDF text extraction (pypdf),
        # property-based fuzzing of every binary parser (hypothesis), lint (ruff).
        "test": [
            "pytest>=7",
            "hypothesis>=6",
            "Pillow>=10",
            "pillow-heif>=0.16",
            "pypdf>=4",
            "ruff>=0.5",
            "mypy>=1.5",  # type-checks the core (tests/core/test_types.py)
            # The plugin test installs tests/plugin_example with pip, offline: it needs a PEP 621
            # setuptools (3.12+ venvs ship none) and wheel.
            "setuptools>=64",
            "wheel",
        ],
    },
    entry_points={
        "console_scripts": ["digisafe = digisafe.cli:main"],
        # Built-in checks are registered exactly as a plugin registers its own: an entry point
        # naming a Check subclass or a list of them.
        "digisafe.checks": ["builtin = digisafe.checks:BUILTIN_CHECKS"],
        "digisafe.renderers": [
            "table = digisafe.render.table:render",
            "json = digisafe.render.json:render",
            "markdown = digisafe.render.markdown:render",
            "html = digisafe.render.html:render",
        ],
    },
    classifiers=[
        "Programming Language :: Python :: 3",
        "Operating System :: POSIX :: Linux",
        "Operating System :: MacOS",
        "Operating System :: Microsoft :: Windows",
        "Environment :: Console",
    ],
)
