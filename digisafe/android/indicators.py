"""Phone lookups over the indicator database: which products list a package name or a signing
certificate (Echap's ``packages`` and ``certificates``, imported by ``digisafe indicators update``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from digisafe.indicators.schema import Product


@dataclass
class PhoneIndicators:
    by_package: dict[str, list[Product]] = field(default_factory=dict)
    by_certificate: dict[str, list[Product]] = field(default_factory=dict)

    @classmethod
    def from_products(cls, products: Any) -> PhoneIndicators:
        index = cls()
        for product in products:
            for package in product.android.packages:
                index.by_package.setdefault(package, []).append(product)
            for cert in product.android.certificates:
                index.by_certificate.setdefault(cert.upper(), []).append(product)
        return index

    @property
    def empty(self) -> bool:
        return not (self.by_package or self.by_certificate)

    def package(self, name: str) -> list[Product]:
        return list(self.by_package.get(name, []))

    def certificate(self, fingerprint: str) -> list[Product]:
        return list(self.by_certificate.get(fingerprint.upper(), []))


def phone_indicators(ctx: Any) -> tuple[PhoneIndicators, Any]:
    """The index and the database it came from, once per audit."""
    from digisafe.indicators import load_database

    def build() -> tuple[PhoneIndicators, Any]:
        db = load_database(ctx.data_dir)
        return PhoneIndicators.from_products(db.products), db

    return ctx.cached("android.indicators", build)
