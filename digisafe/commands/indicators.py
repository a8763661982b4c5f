"""`digisafe indicators info` and `digisafe indicators update` (the only command that uses the network).

Exit codes: 0 done; 2 the update failed (unreachable, slow, too large, malformed feed, bad option,
store not writable) and nothing was changed: the current database keeps working.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from digisafe.core.errors import InputError


def _data_dir(option: Path | None) -> Path:
    if option is not None:
        return option
    from digisafe.system import user_data_dir

    return user_data_dir()


_DATA_DIR = click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder of the updated indicators (default: your digisafe data folder).",
)


@click.group()
def indicators() -> None:
    """Show or update the database of monitoring software, keyloggers and remote-access tools."""


def _parse_url_options(values: tuple[str, ...]) -> tuple[dict[str, str], dict[str, str]]:
    """(FEED=URL overrides, bare URLs whose feed is recognised by content)."""
    named: dict[str, str] = {}
    bare: dict[str, str] = {}
    for value in values:
        kind, sep, url = value.partition("=")
        if sep and "://" not in kind:
            if not url.strip():
                raise InputError(f"--url {value!r}: write it as FEED=URL, e.g. lolrmm=https://...")
            named[kind.strip()] = url.strip()
        else:
            bare[f"url{len(bare) + 1}"] = value.strip()
    return named, bare


@indicators.command()
@click.option(
    "--from",
    "from_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Import a feed file (e.g. from a USB stick) instead of downloading.",
)
@click.option(
    "--url",
    "urls",
    multiple=True,
    metavar="[FEED=]URL",
    help="Download FEED (echap-ioc, echap-watchware, lolrmm) from URL ('none' skips it); a bare URL downloads "
    "only that address and recognises the feed by its content.",
)
@click.option("--only", "only", multiple=True, metavar="FEED", help="Update only these feeds.")
@click.option(
    "--timeout", type=click.FloatRange(0.1, 600), default=30.0, show_default=True, help="Seconds to wait for an answer."
)
@_DATA_DIR
def update(
    from_file: Path | None, urls: tuple[str, ...], only: tuple[str, ...], timeout: float, data_dir: Path | None
) -> int:
    """Download the public indicator feeds (Echap, LOLRMM), check them and store them.

    Uses the internet: do this from a safe network, not during a consultation on the person's laptop.
    """
    from digisafe.indicators import update as updater
    from digisafe.indicators.feeds import FeedError

    folder = _data_dir(data_dir)
    try:
        if from_file is not None:
            store = updater.update_from_file(folder, from_file)
        else:
            named, bare = _parse_url_options(urls)
            chosen = updater.feed_urls(named)
            if bare:  # only the addresses given, each feed recognised by its content
                chosen = {**{k: v for k, v in chosen.items() if k in named}, **bare}
            if only:
                unknown = sorted(set(only) - set(chosen))
                if unknown:
                    raise FeedError(f"--only {unknown[0]!r}: not a feed being updated (known: {', '.join(chosen)})")
                chosen = {k: v for k, v in chosen.items() if k in only}
            limits = updater.FetchLimits(read_timeout=timeout, connect_timeout=min(timeout, updater.CONNECT_TIMEOUT))
            for kind, url in chosen.items():
                click.echo(f"downloading {kind}: {url}", err=True)
            store = updater.update_from_urls(folder, chosen, limits)
    except FeedError as exc:
        raise InputError(f"indicator update failed, nothing was changed: {exc}") from None
    for kind, feed in sorted(store["feeds"].items()):
        click.echo(f"{kind}: {len(feed['products'])} products ({feed['fetched']}, {feed['licence']})")
    click.echo(f"stored in {folder / 'indicators'}")
    return 0


@indicators.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@_DATA_DIR
def info(fmt: str, data_dir: Path | None) -> int:
    """Sources, counts, dates, age, licences and attribution of the database in use."""
    from digisafe.indicators import describe_for_report, load_database

    db = load_database(_data_dir(data_dir))
    summary = describe_for_report(db)
    counts: dict[str, int] = {}
    for product in db.products:
        counts[product.category] = counts.get(product.category, 0) + 1
    summary["categories"] = dict(sorted(counts.items()))
    summary["sources"] = db.sources
    from digisafe.indicators.coverage import coverage, coverage_lines

    cov = coverage(db.products)
    summary["coverage"] = cov
    if fmt == "json":
        click.echo(json.dumps(summary, indent=2))
        return 0
    click.echo(f"Indicator database {summary['version']}: {summary['products']} products")
    click.echo("  " + ", ".join(f"{n} {c}" for c, n in summary["categories"].items()))
    click.echo(f"Built-in data: {db.built}; last update: {summary['updated']}; age: {summary['age_days']} days")
    click.echo("Sources:")
    for source in db.sources:
        click.echo(f"  - {source['name']} ({source.get('licence') or 'licence not stated'})")
        where = source.get("url") or "shipped with digisafe"
        click.echo(f"    {where}; fetched {source.get('fetched') or '-'}")
    click.echo("What a laptop's checks can recognise, per category (by program: its programs, folders,")
    click.echo("services or bundle IDs; by web traces only: visits, downloads, DNS lookups or connections):")
    for line in coverage_lines(cov):
        click.echo(f"  - {line}")
    if cov["phone_only"]:
        names = ", ".join(cov["phone_only"])
        click.echo(f"Only on a phone (no trace a laptop can show): {names}")
    click.echo(
        "Attribution: Echap stalkerware-indicators (CC-BY-4.0); LOLRMM by magicsword-io (Apache-2.0). "
        "Built-in entries name their own sources (vendor documentation, LOLRMM, Echap); entries derived "
        "from the feeds name the feed."
    )
    for line in [summary.get("warning"), *summary.get("notes", [])]:
        if line:
            click.echo(f"Note: {line}")
    return 0
