"""``itaxl ledger …``: the click layer over :class:`itaxl.ledger.Ledger` (parse, call, render).

Nothing here is imported by other commands: ``itaxl validate`` starts without SQLAlchemy.
"""

from __future__ import annotations

import datetime
import sys
import unicodedata
from pathlib import Path

import click

from ..cli import (_JOBS, _catalogue, _checklist, _framework_option, _key_option, _limit_options, _limits,
                   _as_of_option, _publish, _skip_option)
from ..errors import UsageError
from ..inputs import shown

_FORMAT = click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
_LIST_MOST = 20


def _where(command):
    command = click.option("--store", envvar="ITAXL_STORE", type=click.Path(file_okay=False),
                           help="The folder of stored files (a PostgreSQL ledger needs one; env ITAXL_STORE).")(command)
    return click.option("--ledger", "target", envvar="ITAXL_LEDGER", default="itaxl-ledger", show_default=True,
                        help="The ledger: a folder, or postgresql://user@host/db (env ITAXL_LEDGER).")(command)


def _open(target: str, store: str | None, *, create: bool = False, framework_files=()):
    from .core import Ledger

    ledger = Ledger.open(target, store=store, create=create, catalogue=_catalogue(framework_files))
    if ledger.created:
        click.echo(f"itaxl: made a new ledger at {ledger.location.shown}", err=True)
    if ledger.backup:
        click.echo(f"itaxl: upgraded the ledger; its database before the upgrade is kept as {ledger.backup}",
                   err=True)
    return ledger


def _print_json(text: str) -> None:
    click.echo(text)


@click.group()
def ledger() -> None:
    """The submission ledger: every file kept, every answer remembered (see README, "The ledger").

    \b
    itaxl ledger add inbox/ --jobs 2          store and check what arrived
    itaxl ledger status --fiscal-year 2567    who sent, who is missing
    itaxl ledger merge -o consolidated.xlsx   the consolidated workbook, from stored results
    """


# --------------------------------------------------------------------------- add


@ledger.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@_where
@click.option("--jobs", "-j", type=_JOBS, default=1, show_default=True, help="Reader processes.")
@click.option("--received", help="The date the office sent these files (YYYY-MM-DD); default: each file's "
                                 "modification time.")
@click.option("--actor", help="Who the receipt is recorded as made by (default: user@host).")
@_FORMAT
@_key_option
@_skip_option
@_framework_option
@_limit_options
def add(paths: tuple[str, ...], target: str, store: str | None, jobs: int, received: str | None,
        actor: str | None, fmt: str, key_file: str | None, skip: tuple[str, ...], framework_files: tuple[str, ...],
        **limit_args: float | None) -> None:
    """Store and check every new file under PATHS; the same bytes again are "already received".

    Makes the ledger when it does not exist.  Exit status: 0 when every new file is valid;
    1 when some new file has errors or an entry was refused; 2 when itaxl cannot proceed;
    3 when itaxl failed on a file (a bug, its traceback in a log).
    """
    from ..metadata import load_key
    checklist = _checklist(skip)
    with _open(target, store, create=True, framework_files=framework_files) as book:
        report = book.add(paths, jobs=jobs, received=received, actor=actor, key=load_key(key_file),
                          limits=_limits(limit_args), checklist=checklist)
    if fmt == "json":
        _print_json(report.to_json())
    else:
        for r in report.receipts:
            click.echo(_receipt_line(r))
        s = report.stats
        click.echo(f"{s['found']} found: {s['stored']} stored ({s['valid']} valid, {s['invalid']} with errors), "
                   f"{s['already']} already received, {s['refused']} refused, {s['ignored']} ignored")
    sys.exit(report.exit_code)


def _receipt_line(r) -> str:
    v = r.version
    what = ""
    if v is not None:
        doc = " ".join(str(x) for x in (v.org_code or "-", v.kind or "-", v.fiscal_year or "-") if x)
        doc += f" r{v.round}" if v.round else ""
        what = f"v{v.version} {doc}" if v.version else f"{v.state} (no office)"
        if r.outcome == "stored" and v.state == "checked":
            what += f": {_count(v.errors, 'error')}, {_count(v.warnings, 'warning')}"
    reason = f" ({r.reason})" if r.reason else ""
    return f"{r.outcome:<16} {what:<52} {r.path}{reason}"


def _count(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


# --------------------------------------------------------------------------- status


@ledger.command()
@_where
@click.option("--fiscal-year", "-y", type=int, required=True, help="The fiscal year (B.E.), e.g. 2567.")
@click.option("--kind", type=click.Choice(["measures", "progress"]), help="Only this kind of document.")
@click.option("--round", "round_", type=click.Choice(["6", "12"]), help="Only this round of progress report.")
@click.option("--province", help="Only the offices of this province.")
@click.option("--district", help="Only the offices of this district.")
@click.option("--roster", type=click.Path(exists=True, dir_okay=False), help="CSV of the offices expected.")
@click.option("--due", help="The due date (YYYY-MM-DD, B.E. year accepted): documents first sent after it are late.")
@_FORMAT
def status(target: str, store: str | None, fiscal_year: int, kind: str | None, round_: str | None,
           province: str | None, district: str | None, roster: str | None, due: str | None, fmt: str) -> None:
    """Who sent, who is valid, who is missing or late: counted in offices, by province and district."""
    with _open(target, store) as book:
        result = book.status(fiscal_year=fiscal_year, kind=kind, round=int(round_) if round_ else None,
                             province=province, district=district, roster=roster, due=_date(due, "--due"))
    if fmt == "json":
        _print_json(result.to_json())
        return
    f = result.figures()
    click.echo(f"fiscal year {fiscal_year}" + (f", {kind}" if kind else "") + (f" round {round_}" if round_ else "")
               + f": expected {f['expected']}, received {f['received']} ({f['valid']} valid, {f['invalid']} with "
               f"errors), missing {f['missing']}" + (f", late {f['late']}" if due else ""))
    click.echo(f"reporting rate {_pct(f['reporting_rate'])}"
               + (f", on time {_pct(f['on_time_rate'])}" if due else ""))
    places = result.by_place()
    rows = places["provinces"] if len(places["provinces"]) > 1 else places["districts"]
    label = "province" if len(places["provinces"]) > 1 else "district"
    click.echo(f"{label:<24} {'expected':>8} {'received':>8} {'valid':>6} {'missing':>8} {'rate':>7}")
    for row in rows:
        click.echo(f"{_pad(row[label], 24)} {row['expected']:>8} {row['received']:>8} {row['valid']:>6} "
                   f"{row['missing']:>8} {_pct(row['reporting_rate']):>7}")
    for name, codes in (("missing", result.missing), ("late", result.late), ("invalid", result.invalid)):
        if codes:
            more = f" … and {len(codes) - _LIST_MOST} more (--format json lists them all)" \
                if len(codes) > _LIST_MOST else ""
            click.echo(f"{name}: {' '.join(codes[:_LIST_MOST])}{more}")
    if result.unplaced:
        click.echo(f"files that name no office: {len(result.unplaced)} (not in any figure above)")
        for v in result.unplaced[:_LIST_MOST]:
            click.echo(f"  {v.state:<10} {v.folder}/{v.name}")


def _pad(text: str, width: int) -> str:
    """``text`` left-aligned in ``width`` columns of a terminal: Thai vowel and tone marks
    above and below the line take no column of their own."""
    shown_width = sum(unicodedata.category(ch) != "Mn" for ch in text)
    return text + " " * max(0, width - shown_width)


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f} %"


def _date(text: str | None, option: str) -> datetime.date | None:
    if not text:
        return None
    from .intake import as_ce

    try:
        day = datetime.date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"{option} {text!r}: give a date as YYYY-MM-DD") from None
    return as_ce(day)


# --------------------------------------------------------------------------- history and decide


@ledger.command()
@click.argument("org_code")
@_where
@_FORMAT
def history(org_code: str, target: str, store: str | None, fmt: str) -> None:
    """Every version of every document of one office, with its state, problems, decisions and notes."""
    with _open(target, store) as book:
        found = book.history(org_code)
    if fmt == "json":
        _print_json(found.to_json())
        return
    for doc in found.to_dict()["documents"]:
        click.echo(f"{found.org_code} {doc['kind']} {doc['fiscal_year']}" + (f" r{doc['round']}" if doc["round"] else ""))
        for v in doc["versions"]:
            mark = "*" if v["counted"] else " "
            decided = f", {v['decision']} by {v['decided_by']}" if v["decision"] else ""
            click.echo(f" {mark} v{v['version']}  sent {v['sent_at'][:16]}  {v['state']}/{v['outcome'] or '-'}: "
                       f"{v['errors']} errors, {v['warnings']} warnings{decided}  {v['folder']}/{v['name']}")
            for e in v["audit"]:
                note = f" — {e['note']}" if e["note"] else ""
                click.echo(f"       {e['at'][:19]}  {e['action']:<9} {e['before'] or '':<16} → {e['after'] or ''}"
                           f"  ({e['actor']}){note}")
    click.echo("* the version that counts")


@ledger.command()
@click.argument("org_code")
@_where
@click.option("--approve", "decision", flag_value="approved", help="The version is accepted as it is.")
@click.option("--has-issues", "decision", flag_value="has-issues", help="The office must correct something.")
@click.option("--reject", "decision", flag_value="rejected", help="The version does not count.")
@click.option("--kind", type=click.Choice(["measures", "progress"]), default="measures", show_default=True)
@click.option("--fiscal-year", "-y", type=int, help="Needed when the office has documents of several years.")
@click.option("--round", "round_", type=click.Choice(["6", "12"]), help="The round of a progress report.")
@click.option("--version", "version_", type=int, help="Which version (default: the one that counts now).")
@click.option("--note", help="Why, for the office and for the record.")
@click.option("--actor", help="Who decides (default: user@host).")
def decide(org_code: str, target: str, store: str | None, decision: str | None, kind: str, fiscal_year: int | None,
           round_: str | None, version_: int | None, note: str | None, actor: str | None) -> None:
    """Record a decision about one version of an office's document: --approve, --has-issues or --reject."""
    if decision is None:
        raise UsageError("say the decision: --approve, --has-issues or --reject")
    with _open(target, store) as book:
        v = book.decide(org_code, decision, kind=kind, fiscal_year=fiscal_year,
                        round=int(round_) if round_ else None, version=version_, note=note, actor=actor)
    click.echo(f"{v.org_code} {v.kind} {v.fiscal_year}" + (f" r{v.round}" if v.round else "")
               + f" v{v.version}: {v.decision} by {v.decided_by}")


# --------------------------------------------------------------------------- recheck, merge, trends


@ledger.command()
@_where
@click.option("--jobs", "-j", type=_JOBS, default=1, show_default=True, help="Reader processes.")
@click.option("--actor", help="Who the new results are recorded as made by (default: user@host).")
@_FORMAT
@_key_option
@_skip_option
@_framework_option
@_limit_options
def recheck(target: str, store: str | None, jobs: int, actor: str | None, fmt: str, key_file: str | None,
            skip: tuple[str, ...], framework_files: tuple[str, ...], **limit_args: float | None) -> None:
    """Check every stored file again with this itaxl's rules; record what changed (the audit keeps the rest)."""
    from ..metadata import load_key

    checklist = _checklist(skip)
    with _open(target, store, framework_files=framework_files) as book:
        report = book.recheck(jobs=jobs, actor=actor, key=load_key(key_file), limits=_limits(limit_args),
                              checklist=checklist)
    if fmt == "json":
        _print_json(report.to_json())
        return
    for c in report.changes:
        click.echo(f"{c.version.org_code or '-'} {c.version.name}: {c.before} → {c.after}"
                   f" (+{','.join(c.added) or '-'} -{','.join(c.removed) or '-'})")
    click.echo(f"{report.checked} stored files checked again: {len(report.changes)} changed")


@ledger.command()
@_where
@click.option("--output", "-o", type=click.Path(dir_okay=False), required=True, help="The consolidated .xlsx.")
@click.option("--roster", type=click.Path(exists=True, dir_okay=False), help="CSV of the offices expected.")
@click.option("--province", help="Expected offices: every office of this province in the register.")
@click.option("--district", help="Expected offices: every office of this district.")
@click.option("--fiscal-year", "-y", type=int, help="Only this fiscal year (default: every year, with trends).")
@click.option("--include-invalid", is_flag=True, help="Merge files with errors too (flagged in the file list).")
@click.option("--csv", "csv_dir", type=click.Path(file_okay=False), help="Also write every table as CSV here.")
@click.option("--json", "json_path", type=click.Path(dir_okay=False), help="Also write the summary as JSON.")
@click.option("--force", is_flag=True, help="Replace existing output files.")
@_as_of_option
def merge(target: str, store: str | None, output: str, roster: str | None, province: str | None,
          district: str | None, fiscal_year: int | None, include_invalid: bool, csv_dir: str | None,
          json_path: str | None, force: bool, as_of) -> None:
    """The consolidated workbook of the versions that count, from stored results (no workbook is read).

    Exit status as for 'itaxl merge': 0 when every counted file was taken, 1 when some has errors."""
    from ..atomic import check_output

    if not output.lower().endswith(".xlsx"):
        raise UsageError(f"{output}: the output file must end in .xlsx")
    for path in (output, json_path):
        if path:
            check_output(Path(path), force=force)
    with _open(target, store) as book:
        result = book.merge(roster=roster, province=province, district=district, include_invalid=include_invalid,
                            fiscal_year=fiscal_year)
    s = result.summary
    click.echo(result.reconciliation(), err=True)
    if s["accepted"] == 0:
        click.echo("itaxl: no submission could be taken; no consolidated workbook was written", err=True)
        sys.exit(1)
    _publish(result, output, csv_dir, json_path, force=force, as_of=as_of)
    sys.exit(1 if s["rejected"] else 0)


@ledger.command()
@_where
@click.option("--roster", type=click.Path(exists=True, dir_okay=False), help="CSV of the offices to show.")
@click.option("--province", help="Only the offices of this province.")
@click.option("--district", help="Only the offices of this district.")
@click.option("--include-invalid", is_flag=True, help="Count documents with errors too.")
@_FORMAT
def trends(target: str, store: str | None, roster: str | None, province: str | None, district: str | None,
           include_invalid: bool, fmt: str) -> None:
    """Each office's ITA score, rating, measures and completion by fiscal year, and each province's."""
    with _open(target, store) as book:
        found = book.trends(roster=roster, province=province, district=district, include_invalid=include_invalid)
    if fmt == "json":
        _print_json(found.to_json())
        return
    table = found.provinces()
    click.echo(f"{'province':<20} {'year':>5} {'offices':>7} {'ITA mean':>9} {'below':>6} {'measures':>9} "
               f"{'done %':>7}")
    for province_, year, offices, mean, below, measures, done in table.rows:
        click.echo(f"{_pad(province_, 20)} {year:>5} {offices:>7} {_num(mean):>9} {below:>6} {_num(measures):>9} "
                   f"{_num(done):>7}")
    click.echo(f"{len(found.offices.rows)} office-years over fiscal years {', '.join(map(str, found.years)) or '-'}"
               " (--format json lists every office)")


def _num(value) -> str:
    return "-" if value is None else f"{value:g}"


# --------------------------------------------------------------------------- export and verify


@ledger.command()
@click.argument("directory", type=click.Path(file_okay=False))
@_where
@click.option("--all", "all_versions", is_flag=True, help="Every version, not only the ones that count.")
@click.option("--force", is_flag=True, help="Write into a folder that is not empty.")
def export(directory: str, target: str, store: str | None, all_versions: bool, force: bool) -> None:
    """Write the stored files under readable names, with manifest.csv."""
    with _open(target, store) as book:
        done = book.export(directory, all_versions=all_versions, force=force)
    click.echo(f"{len(done.files)} files written to {shown(done.directory)}, listed in {shown(done.manifest)}")


@ledger.command()
@_where
@_FORMAT
def verify(target: str, store: str | None, fmt: str) -> None:
    """Re-hash every stored file and check the database. Exit status 1 on any finding."""
    with _open(target, store) as book:
        found = book.verify()
    if fmt == "json":
        _print_json(found.to_json())
    else:
        for f in found.findings:
            click.echo(f"{f.code}: {f.detail}")
        swept = found.swept
        if any(swept):
            click.echo(f"removed what an interrupted add left: {swept[0]} temporary files, "
                       f"{swept[1]} files it never recorded")
        click.echo(f"{found.files} stored files, {found.rows} recorded: "
                   + ("no problem found" if found.valid else f"{len(found.findings)} problems"))
    sys.exit(0 if found.valid else 1)

