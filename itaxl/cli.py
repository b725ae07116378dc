"""The ``itaxl`` command: a thin click layer over the library.

Every command has a Python twin with the same verb; this module only parses
options, calls the library and renders its results.  Heavy libraries (XlsxWriter,
openpyxl, pandas) are imported by the commands that need them, so that
``itaxl validate`` starts fast.
"""

from __future__ import annotations

import datetime
import json
import os
import signal
import sys
from pathlib import Path
from typing import Iterable

import click

from . import __version__
from .errors import ItaxlError, UsageError
from .inputs import shown
from .problems import SEVERITY_TH, Severity


_WRITTEN: list[Path] = []
"""The files this command has written so far: its last lines name exactly these."""


def _wrote(path: str | os.PathLike) -> Path:
    """Record and announce a file this command wrote."""
    _WRITTEN.append(Path(path))
    click.echo(f"wrote {shown(path)}", err=True)
    return Path(path)


class _Group(click.Group):
    """Turns itaxl's own errors into one clear line and an exit code, never a traceback.

    0 no errors; 1 some input has errors; 2 itaxl cannot proceed with what it was
    given; 3 a bug in itaxl, whose traceback goes to a log file named on the terminal.
    """

    LAZY = {"ledger": ("itaxl.ledger.commands", "ledger")}
    """Command groups defined in their own package, imported only when asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.LAZY})

    def get_command(self, ctx: click.Context, name: str):
        if name in self.LAZY and name not in self.commands:
            import importlib

            module, attr = self.LAZY[name]
            self.add_command(getattr(importlib.import_module(module), attr), name)
        return super().get_command(ctx, name)

    def invoke(self, ctx: click.Context):
        _WRITTEN.clear()
        from . import registry

        added = os.environ.get(registry.ADDED_ENV)  # --offices sets it for this run and its workers only
        try:
            return super().invoke(ctx)
        except ItaxlError as exc:
            click.echo(f"itaxl: error: {exc}", err=True)
            for problem in getattr(exc, "problems", [])[:50]:
                click.echo(f"  {_where(problem)}  {problem.code}  {problem.message_en}", err=True)
            _written_after_error()
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("itaxl: interrupted", err=True)
            _written_after_error()
            sys.exit(130)
        except BrokenPipeError:  # the reader of the output went away (| head): stop quietly
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(2)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except Exception as exc:  # a bug in itaxl: one line here, the traceback in a log
            if os.environ.get("ITAXL_DEBUG"):
                raise
            log = _crash_log()
            click.echo(f"itaxl: internal error: {type(exc).__name__}: {exc}", err=True)
            click.echo(f"  this is a bug in itaxl; the details are in {log} (please send it with your report)",
                       err=True)
            _written_after_error()
            sys.exit(3)
        finally:
            if os.environ.get(registry.ADDED_ENV) != added:
                registry.use_added_offices(added, check=False)


def _written_after_error() -> None:
    if _WRITTEN:
        click.echo("written before the error: " + ", ".join(shown(p) for p in _WRITTEN), err=True)
    else:
        click.echo("nothing was written", err=True)


def _crash_log() -> str:
    """Write the traceback of the exception being handled to a log file; its path."""
    from . import crashlog

    return crashlog.write()


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="itaxl")
@click.option("--offices", "added_offices", type=click.Path(dir_okay=False), metavar="CSV",
              help="Offices the shipped register lacks (made or upgraded since its date), in the register's "
                   "columns: dla_code,type_th,name_th,district_th,province_code,province_th,province_en. "
                   "Also ITAXL_OFFICES.")
def cli(added_offices: str | None) -> None:
    """ITA integrity measures of Thai local offices as locked, checked spreadsheets."""
    if added_offices:
        from . import registry

        registry.use_added_offices(added_offices)


def main() -> None:
    signal.signal(signal.SIGTERM, _terminated)
    cli(prog_name="itaxl")


def _terminated(signum: int, frame: object) -> None:
    """SIGTERM ends a run like Ctrl-C: workers stop, temporary files are removed."""
    raise KeyboardInterrupt


# --------------------------------------------------------------------------- template

class Bounded(click.ParamType):
    """A number within stated bounds: NaN, infinities and values outside them are refused
    (exit 2, naming the option), so that no limit can be switched off by accident."""

    def __init__(self, low: float, high: float, *, integer: bool = False, unit: str = ""):
        self.low, self.high, self.integer, self.unit = low, high, integer, unit
        self.name = "integer" if integer else "number"

    def convert(self, value, param, ctx):
        import math

        if isinstance(value, (int, float)) and not isinstance(value, bool):
            number = value
        else:
            try:
                number = int(value) if self.integer else float(value)
            except (TypeError, ValueError):
                self.fail(f"{value!r} is not {'a whole number' if self.integer else 'a number'}", param, ctx)
        if not math.isfinite(number) or not self.low <= number <= self.high:
            self.fail(f"{value!r} is not between {self.low:g} and {self.high:g}{self.unit}", param, ctx)
        return number

    def get_metavar(self, param, ctx=None) -> str | None:
        if isinstance(param, click.Argument):
            return None  # an argument is shown by its name (YEAR)
        return f"[{self.low:g}-{self.high:g}]"


FISCAL_YEARS = Bounded(2400, 2800, integer=True)
"""A fiscal year in B.E.: far wider than any ITA year, narrow enough to refuse a typo."""
_JOBS = Bounded(1, 64, integer=True)

_as_of_option = click.option(
    "--as-of", type=click.DateTime(["%Y-%m-%d"]), metavar="YYYY-MM-DD",
    help="The date the workbook's title gives its data (default: the day the newest file it counts was saved).")
_key_option = click.option("--key-file", type=click.Path(dir_okay=False),
                           help="Secret key file: sign (or verify) the fingerprint with HMAC-SHA256.")


_framework_option = click.option(
    "--framework", "framework_files", multiple=True, type=click.Path(dir_okay=False), metavar="FILE",
    help="An ITA framework file (TOML) for a year itaxl does not ship, or a changed one; repeatable. "
         "See 'itaxl frameworks'.")


_skip_option = click.option(
    "--skip", "skip", multiple=True, metavar="CODE|FAMILY",
    help="Do not check this rule code, or any code of this rule family; repeatable. See 'itaxl rules list'.")


def _checklist(skip: tuple[str, ...]):
    """The rules to apply; said on the terminal when some are skipped, since the figures change."""
    from .rules import Checklist

    checklist = Checklist(skip)
    if checklist.skipped:
        n = len(checklist.skipped)
        click.echo(f"itaxl: not checked (--skip): {', '.join(checklist.skip)} ({n} code{'s' if n > 1 else ''})",
                   err=True)
    return checklist


def _catalogue(files: Iterable[str]):
    from .framework import Catalogue

    return Catalogue.of(files)


def _limit_options(command):
    """--max-… options that raise the guard's limits for an unusual but honest file."""
    from .guard import DEFAULT_LIMITS as d, MiB

    options = [
        click.option("--max-file-mb", type=Bounded(0.001, 100 * 1024, unit=" MiB"), default=None,
                     help=f"Largest file accepted, MiB (default {d.max_file_bytes / MiB:g})."),
        click.option("--max-entries", type=Bounded(1, 10_000_000, integer=True), default=None,
                     help=f"Most zip members (default {d.max_entries})."),
        click.option("--max-unpacked-mb", type=Bounded(0.001, 100 * 1024, unit=" MiB"), default=None,
                     help=f"Largest unpacked size of all members, MiB (default {d.max_total_bytes / MiB:g}); "
                          f"one member may unpack to a quarter of it."),
        click.option("--max-ratio", type=Bounded(1, 10_000), default=None,
                     help=f"Highest compression ratio of a large member (default {d.max_ratio:g})."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _limits(args: dict):
    from .guard import DEFAULT_LIMITS, Limits, MiB

    changes = {}
    if args.get("max_file_mb"):
        changes["max_file_bytes"] = int(args["max_file_mb"] * MiB)
    if args.get("max_entries"):
        changes["max_entries"] = args["max_entries"]
    if args.get("max_unpacked_mb"):
        changes["max_total_bytes"] = int(args["max_unpacked_mb"] * MiB)
        changes["max_entry_bytes"] = changes["max_total_bytes"] // 4
    if args.get("max_ratio"):
        changes["max_ratio"] = args["max_ratio"]
    return Limits(**{**DEFAULT_LIMITS.__dict__, **changes}) if changes else DEFAULT_LIMITS


@cli.group()
def template() -> None:
    """Generate locked Excel templates."""


@template.command("measures")
@click.option("--org-code", "org_codes", multiple=True, metavar="CODE",
              help="7-digit office code (รหัส อปท.); repeat for several offices.")
@click.option("--province", help="Every office of a province (Thai or English name, or 2-digit code).")
@click.option("--district", help="Every office of a district (อำเภอ), with or without --province.")
@click.option("--all", "every_office", is_flag=True, help="Every office in the register (7,849).")
@click.option("--fiscal-year", "-y", type=FISCAL_YEARS, required=True, help="Fiscal year of the measures, B.E. (e.g. 2567).")
@click.option("--output", "-o", type=click.Path(), required=True,
              help="Output .xlsx file, or a directory for several offices.")
@click.option("--rows", type=Bounded(1, 500, integer=True), default=None, help="Number of input rows (default 30).")
@click.option("--password", default=None, help="Password for sheet and workbook protection (default: none).")
@_key_option
@click.option("--force", is_flag=True, help="Replace existing output files.")
@click.option("--jobs", "-j", type=_JOBS, default=1, show_default=True,
              help="Processes making templates for several offices.")
@_framework_option
def template_measures(org_codes: tuple[str, ...], province: str | None, district: str | None, every_office: bool,
                      fiscal_year: int, output: str, rows: int | None, password: str | None, key_file: str | None,
                      force: bool, jobs: int, framework_files: tuple[str, ...]) -> None:
    """Write a measures template (มาตรการส่งเสริมคุณธรรมและความโปร่งใส).

    \b
    itaxl template measures --org-code 6311805 --fiscal-year 2567 -o measures.xlsx
    itaxl template measures --province บุรีรัมย์ -y 2567 -o outbox/
    itaxl template measures --all -y 2567 -o outbox/ --jobs 2
    itaxl template measures -y 2567 -o blank.xlsx          # no office: office cells are inputs
    itaxl template measures -y 2572 -o blank.xlsx --framework ita-2571.toml

    The plan of fiscal year Y analyses the ITA of Y − 1: its score fields, rating
    dropdown and checks come from that year's framework (shipped, or --framework).
    """
    from . import registry, templates
    from .metadata import load_key

    key = load_key(key_file)
    framework = _catalogue(framework_files).given_for_plan(fiscal_year)
    codes = list(org_codes)
    if province or district or every_office:
        codes += [o.code for o in registry.select(province, district)]
    out = Path(output)
    if len(codes) > 1 or (codes and (out.is_dir() or output.endswith(("/", "\\")))):
        paths = templates.measures_batch(codes, fiscal_year, out, rows=rows, password=password, key=key,
                                         force=force, jobs=jobs, framework=framework)
        _WRITTEN.extend(paths)
        click.echo(f"wrote {len(paths)} measures templates to {shown(out)}/", err=True)
        return
    if out.suffix.lower() != ".xlsx":
        raise UsageError(f"{output}: the output file must end in .xlsx")
    _wrote(templates.measures(codes[0] if codes else None, fiscal_year, out, rows=rows, password=password,
                              key=key, force=force, framework=framework))


@template.command("progress")
@click.option("--from", "source", required=True, type=click.Path(exists=True),
              help="A filled measures workbook, a filled round-6 progress workbook, or a directory of them.")
@click.option("--round", "round_", type=click.Choice(["6", "12"]), required=True, help="Reporting round in months.")
@click.option("--output", "-o", type=click.Path(), required=True,
              help="Output .xlsx file, or a directory when --from is a directory.")
@click.option("--password", default=None, help="Password for sheet and workbook protection (default: none).")
@_key_option
@click.option("--force", is_flag=True, help="Replace existing output files.")
@_framework_option
def template_progress(source: str, round_: str, output: str, password: str | None, key_file: str | None,
                      force: bool, framework_files: tuple[str, ...]) -> None:
    """Write a progress template pre-filled with an office's own measures (locked).

    \b
    itaxl template progress --from measures-2567-6311805.xlsx --round 6 -o progress-r6.xlsx
    itaxl template progress --from inbox/measures/ --round 12 -o outbox/
    itaxl template progress --from progress-r6.xlsx --round 12 -o progress-r12.xlsx   # answers carried forward

    A measures workbook with errors is refused, with its errors listed.
    """
    from . import templates
    from .inputs import walk
    from .metadata import load_key

    key = load_key(key_file)
    catalogue = _catalogue(framework_files)
    single = not Path(source).is_dir()
    if single and output.lower().endswith(".xlsx"):
        _wrote(templates.progress(source, int(round_), output, password=password, key=key, force=force,
                                  catalogue=catalogue))
        return
    found = walk([source], outputs=[output])
    _refuse_empty(found, [source])
    written, refused = templates.progress_batch(found.files, int(round_), output, password=password, key=key,
                                                force=force, catalogue=catalogue)
    if single and refused:
        raise refused[str(source)]
    _WRITTEN.extend(written)
    click.echo(f"wrote {len(written)} progress templates to {shown(output)}/", err=True)
    for path, exc in refused.items():
        click.echo(f"refused {shown(path)}: {exc}", err=True)
        for p in exc.problems[:20]:
            click.echo(f"  {_where(p)}  {p.code}  {p.message_en}", err=True)
    for entry in found.refused:
        click.echo(f"refused {shown(entry.path)}: {entry.detail} ({entry.code})", err=True)
    for entry in found.ignored:
        click.echo(f"ignored {shown(entry.path)}: {entry.reason}", err=True)
    failed = sum(exc.exit_code == 3 for exc in refused.values())
    _say_failed(failed)
    if refused or found.refused:
        sys.exit(3 if failed else 1)


def _say_failed(count: int) -> None:
    """One line when itaxl failed on some files (each has its internal-error naming a log)."""
    if count:
        click.echo(f"itaxl: {count} file(s) could not be checked because of a bug in itaxl "
                   "(internal-error; each names the log with its details)", err=True)


def _refuse_empty(found, paths: Iterable[str]) -> None:
    """Stop (exit 2) when the inputs hold nothing to read."""
    if found.files or found.refused:
        return
    what = f" (only {len(found.ignored)} ignored: {found.ignored[0].reason}, …)" if found.ignored else ""
    raise UsageError(f"nothing to read in {', '.join(shown(p) for p in paths)}{what}")


# --------------------------------------------------------------------------- validate


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--lang", type=click.Choice(["th", "en"]), default="th", show_default=True,
              help="Language of the text report.")
@_key_option
@click.option("--quiet", "-q", is_flag=True, help="Text report: print only files with problems and the summary.")
@click.option("--annotate", "annotate_dir", type=click.Path(file_okay=False),
              help="Write an annotated copy of every file with problems into this directory, for its office.")
@click.option("--force", is_flag=True, help="With --annotate: replace existing annotated copies.")
@click.option("--jobs", "-j", type=_JOBS, default=1, show_default=True, help="Reader processes.")
@_skip_option
@_framework_option
@_limit_options
def validate(paths: tuple[str, ...], fmt: str, lang: str, key_file: str | None, quiet: bool,
             annotate_dir: str | None, force: bool, jobs: int, skip: tuple[str, ...],
             framework_files: tuple[str, ...], **limit_args: float | None) -> None:
    """Check filled workbooks: files, or folders searched for every file in them.

    Each file is reported as it is read, in a stable order: read (with its
    problems), refused (not an itaxl workbook, with the reason) or ignored (lock
    files and the like, with the reason).

    Exit status: 0 when no file has errors (warnings allowed), 1 when some file has
    errors, 2 when there is nothing to check.
    """
    from .annotation import copy_names
    from .batch import Tally, read_found
    from .inputs import walk
    from .metadata import load_key

    key = load_key(key_file)
    limits = _limits(limit_args)
    catalogue = _catalogue(framework_files)
    checklist = _checklist(skip)
    found = walk(paths, outputs=[annotate_dir] if annotate_dir else [])
    _refuse_empty(found, paths)
    names = copy_names(found.files, paths) if annotate_dir else {}
    tally = Tally(found.ignored, checklist.skipped)
    out = _JsonReport(tally) if fmt == "json" else _TextReport(tally, lang, quiet)
    # The bar shares the terminal with the report only when the report goes elsewhere.
    with _Bar(enabled=not quiet and sys.stderr.isatty() and not sys.stdout.isatty()) as bar:
        bar.start(len(found.files) + len(found.refused))
        for sub in read_found(found, jobs=jobs, key=key, limits=limits, catalogue=catalogue, checklist=checklist):
            bar.step(1)
            tally.add(sub)
            out.file(sub)
            if annotate_dir:
                _annotate_one(sub, Path(annotate_dir), names, force)
    out.close()
    _say_failed(tally.failed)
    sys.exit(tally.exit_code)


def _annotate_one(sub, directory: Path, names: dict[str, str], force: bool) -> None:
    from .annotation import annotate, needs_annotation

    if not needs_annotation(sub):
        return
    if sub.kind is None:
        click.echo(f"not annotated: {sub.path} ({sub.problems[0].code}: the file itself must be replaced)",
                   err=True)
        return
    _wrote(annotate(sub, directory / names[sub.source], force=force))


class _JsonReport:
    """The JSON document, written as files are read: ``{"files": […], "ignored": […], "summary": {…}}``."""

    def __init__(self, tally):
        self.tally, self.first = tally, True
        click.echo('{"files": [', nl=False)

    def file(self, sub) -> None:
        from .batch import file_json

        click.echo(("" if self.first else ",") + "\n  " + json.dumps(file_json(sub), ensure_ascii=False),
                   nl=False)
        self.first = False

    def close(self) -> None:
        ignored = ",\n  ".join(json.dumps(i.to_dict(), ensure_ascii=False) for i in self.tally.ignored)
        click.echo(f"\n],\n\"ignored\": [{chr(10) + '  ' + ignored + chr(10) if ignored else ''}],")
        click.echo(f'"skipped": {json.dumps(self.tally.skipped)},')
        click.echo(f'"summary": {json.dumps(self.tally.stats)}}}')


class _TextReport:
    """The text report: a block per file as it is read, the ignored entries, the summary lines."""

    def __init__(self, tally, lang: str, quiet: bool):
        self.tally, self.words, self.lang, self.quiet = tally, _WORDS[lang], lang, quiet

    def file(self, sub) -> None:
        if not (self.quiet and not sub.problems):
            _print_file(sub, self.words, self.lang)

    def close(self) -> None:
        for i in self.tally.ignored:
            click.echo(f"{shown(i.path)}  {self.words['ignored']}: {i.reason}")
        stats = self.tally.stats
        click.echo(self.words["summary"].format(**stats))
        click.echo(self.words["found"].format(**stats))


def _where(problem) -> str:
    if problem.sheet and problem.cell:
        return f"{problem.sheet}!{problem.cell}"
    return problem.sheet or "-"


_WORDS = {
    "th": {"valid": "ผ่าน", "invalid": "ไม่ผ่าน", **SEVERITY_TH,
           "ignored": "ข้าม", "more": "และอีก {n} เซลล์",
           "summary": "สรุป: {files} ไฟล์ ผ่าน {valid} ไม่ผ่าน {invalid} ข้อผิดพลาด {errors} คำเตือน {warnings} "
                      "หมายเหตุ {notes}",
           "found": "พบ {found} = อ่าน {read} + ไม่รับ {refused} + ข้าม {ignored}"},
    "en": {"valid": "valid", "invalid": "INVALID", "error": "error", "warning": "warning", "info": "note",
           "ignored": "ignored", "more": "and {n} more",
           "summary": "Summary: {files} files, {valid} valid, {invalid} invalid, {errors} errors, {warnings} warnings, "
                      "{notes} notes",
           "found": "found {found} = read {read} + refused {refused} + ignored {ignored}"},
}


def _print_file(sub, words: dict, lang: str) -> None:
    """A file's line and its problems; notes (values read correctly) once per code, with their cells."""
    errors = sum(p.is_error for p in sub.problems)
    warnings = sum(p.is_warning for p in sub.problems)
    ident = " ".join(str(x) for x in (sub.kind, sub.org_code, sub.fiscal_year and f"FY{sub.fiscal_year}") if x)
    status = words["valid"] if sub.valid else words["invalid"]
    click.echo(f"{sub.path}  [{ident or '?'}]  {status}: {errors} {words['error']}, {warnings} {words['warning']}")
    notes: dict[str, list] = {}
    for p in sub.problems:
        if p.severity is Severity.INFO:
            notes.setdefault(p.code, []).append(p)
        else:
            click.echo(f"  {words[p.severity.value]:<10} {_where(p):<22} {p.code:<26} {_message(p, lang)}")
    for code, same in notes.items():
        more = f" ({words['more'].format(n=len(same) - 1)}: {', '.join(_where(p) for p in same[1:6])}" \
               f"{', …' if len(same) > 6 else ''})" if len(same) > 1 else ""
        count = f"{len(same)}× " if len(same) > 1 else ""
        click.echo(f"  {words['info']:<10} {_where(same[0]):<22} {code:<26} {count}{_message(same[0], lang)}{more}")


def _message(problem, lang: str) -> str:
    return problem.message_th if lang == "th" else problem.message_en


# --------------------------------------------------------------------------- merge


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--output", "-o", type=click.Path(dir_okay=False), required=True, help="The consolidated .xlsx.")
@click.option("--roster", type=click.Path(exists=True, dir_okay=False),
              help="CSV of the offices expected to submit (column org_code, or the first column).")
@click.option("--province", help="Expected offices: every office of this province in the register.")
@click.option("--district", help="Expected offices: every office of this district (with or without --province).")
@click.option("--include-invalid", is_flag=True, help="Merge files with errors too (flagged in the file list).")
@click.option("--jobs", "-j", type=_JOBS, default=1, show_default=True, help="Reader processes.")
@click.option("--csv", "csv_dir", type=click.Path(file_okay=False), help="Also write every table as CSV here.")
@click.option("--json", "json_path", type=click.Path(dir_okay=False), help="Also write the summary as JSON.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.option("--force", is_flag=True, help="Replace existing output files.")
@_as_of_option
@_key_option
@_skip_option
@_framework_option
@_limit_options
def merge(paths: tuple[str, ...], output: str, roster: str | None, province: str | None, district: str | None,
          include_invalid: bool, jobs: int, csv_dir: str | None, json_path: str | None, quiet: bool, force: bool,
          as_of: datetime.datetime | None, key_file: str | None, skip: tuple[str, ...],
          framework_files: tuple[str, ...], **limit_args: float | None) -> None:
    """Merge submissions (files, or folders searched for every file in them) into one consolidated workbook.

    \b
    itaxl merge inbox/ -o consolidated.xlsx --roster roster.csv
    itaxl merge inbox/ -o consolidated.xlsx --province บุรีรัมย์ --jobs 2 --json summary.json

    Exit status: 0 when every file was taken; 1 when some file has errors (they are
    named, and listed on the sheet ไฟล์), or none could be taken (nothing is written
    then); 2 when itaxl cannot proceed (a missing input, nothing to read, an
    output that exists without --force or cannot be written).
    """
    from . import consolidation
    from .atomic import check_output
    from .metadata import load_key

    if not output.lower().endswith(".xlsx"):
        raise UsageError(f"{output}: the output file must end in .xlsx")
    targets = [Path(t) for t in (output, json_path) if t]
    seen: dict[str, Path] = {}
    for target in targets:
        same = seen.setdefault(os.path.abspath(target), target)
        if same is not target:
            raise UsageError(f"{shown(target)}: named twice as an output of this merge")
        check_output(target, force=force, inputs=paths)
    key = load_key(key_file)
    catalogue = _catalogue(framework_files)
    checklist = _checklist(skip)
    with _Bar(enabled=not quiet and sys.stderr.isatty()) as bar:
        result = consolidation.merge(paths, roster=roster, province=province, district=district,
                                    include_invalid=include_invalid, jobs=jobs, key=key, limits=_limits(limit_args),
                                    outputs=[p for p in (output, json_path, csv_dir) if p],
                                    progress=bar.step, on_files=bar.start, catalogue=catalogue,
                                    checklist=checklist)
    s = result.summary
    if s["read"] + s["refused"] == 0:
        raise UsageError(f"nothing to read in {', '.join(map(shown, paths))}"
                         + (f" (only {s['ignored']} ignored entries)" if s["ignored"] else ""))
    _list_rejected(result)
    click.echo(result.reconciliation(), err=True)
    if s["accepted"] == 0:
        click.echo("itaxl: no submission could be taken; no consolidated workbook was written", err=True)
        sys.exit(3 if _report_failed(e.sub for e in result.files) else 1)
    _publish(result, output, csv_dir, json_path, force=force, inputs=tuple(e.sub.source for e in result.files),
             as_of=as_of)
    failed = _report_failed(e.sub for e in result.files)
    sys.exit(3 if failed else 1 if s["rejected"] else 0)


def _publish(result, output: str, csv_dir: str | None, json_path: str | None, *, force: bool,
             inputs: tuple = (), as_of: datetime.datetime | None = None) -> None:
    """Write a merge's workbook, its CSV tables and its JSON: all or none, each announced."""
    from .atomic import together
    from .consolidated import write_json

    with together() as published:
        result.to_excel(output, force=force, inputs=inputs, as_of=as_of.date() if as_of else None)
        if csv_dir:
            result.to_csv(csv_dir, force=force)
        if json_path:
            write_json(result, json_path, force=force)
    for path in published:
        _wrote(path)


def _report_failed(subs) -> int:
    """Name the files itaxl failed on (a bug); how many there were."""
    from .batch import has_failed

    failed = [sub for sub in subs if has_failed(sub)]
    for sub in failed:
        click.echo(f"itaxl: internal error on {sub.path}: {sub.problems[0].message_en}", err=True)
    return len(failed)


def _list_rejected(result, most: int = 20) -> None:
    """Name the files not taken (the first ``most``; the sheet ไฟล์ has them all)."""
    rejected = result.rejected()
    for e in rejected[:most]:
        first = next((p for p in e.sub.problems if p.is_error), None)
        why = f"{first.code}: {first.message_en}" if first else e.decided_by
        click.echo(f"rejected {e.sub.path}: {why}", err=True)
    if len(rejected) > most:
        click.echo(f"… and {len(rejected) - most} more; see the sheet ไฟล์", err=True)


class _Bar:
    """click's progress bar over the files being read, on stderr; nothing when not a terminal."""

    def __init__(self, enabled: bool):
        self.enabled, self.bar = enabled, None

    def __enter__(self) -> "_Bar":
        return self

    def start(self, total: int) -> None:
        if self.enabled and total > 1:
            self.bar = click.progressbar(length=total, label="reading", file=sys.stderr)
            self.bar.__enter__()

    def step(self, n: int) -> None:
        if self.bar is not None:
            self.bar.update(n)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)


# --------------------------------------------------------------------------- report


@cli.command()
@click.argument("source", type=click.Path(dir_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="The Word document to write (.docx), the form offices publish and may still edit; "
                   "with --pdf the PDF goes beside it.")
@click.option("--pdf", is_flag=True, help="Also write the PDF, through LibreOffice (headless).")
@click.option("--thai-digits/--arabic-digits", default=True, show_default=True,
              help="Numbers and dates in Thai digits (๑๒๓), as official documents write them, the office's "
                   "own included (links and codes such as O43 as they are); or in Arabic digits.")
@click.option("--force", is_flag=True, help="Overwrite existing output files.")
@_framework_option
def report(source: str, output: str, pdf: bool, thai_digits: bool, force: bool,
           framework_files: tuple[str, ...]) -> None:
    """Render a filled measures or progress workbook as the document the office publishes.

    Laid out as the offices' own documents are: title, office, fiscal year, round and
    period; the opening paragraph; for the measures, the ITA result by indicator against the
    pass mark; the measures under their indicators, the table header on every page; the
    evidence links; the signature blocks (and the approval of the measures). TH SarabunPSK
    16 (the table 14), A4 landscape, page numbers.

    Exit status: 0; 1 when the workbook has errors (the document is written, marked as a
    draft on every page) or no PDF could be made; 2 when it cannot be used at all.
    """
    from . import libreoffice, official

    if Path(output).suffix.lower() != official.SUFFIX:
        raise UsageError(f"{output}: the report is a Word document; name it {official.SUFFIX} "
                         "(the PDF is written beside it)")
    written, problems = official.render(source, output, thai_digits=thai_digits, force=force,
                                        catalogue=_catalogue(framework_files))
    _wrote(written)
    errors = sum(p.is_error for p in problems)
    if errors:
        click.echo(f"note: {source} has {errors} error(s); the report shows what the workbook says, marked "
                   f"as a draft ({official.DRAFT}) on every page (see `itaxl validate {source}`)", err=True)
    if pdf:
        try:
            _wrote(libreoffice.convert(written, "pdf", Path(written).parent, force=force,
                                       thai_numerals=thai_digits))
        except libreoffice.OfficeMissingError as exc:
            click.echo(f"itaxl: {exc}", err=True)
            sys.exit(1)
    sys.exit(1 if errors else 0)


# --------------------------------------------------------------------------- frameworks


@cli.group()
def rules() -> None:
    """The content rules a workbook is checked with: list them, with their codes and families."""


@rules.command("list")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--lang", type=click.Choice(["th", "en"]), default="en", show_default=True,
              help="Language of the descriptions.")
def rules_list(fmt: str, lang: str) -> None:
    """Every rule in the order it is applied: family, name, severity, what it checks, its codes.

    A code or a family name given to --skip (validate, merge) is not checked.
    """
    from .rules import RULES

    if fmt == "json":
        click.echo(json.dumps([r.to_dict() for r in RULES], ensure_ascii=False, indent=1))
        return
    rows = [("family", "rule", "severity", "checks / codes")]
    rows += [(r.family, r.name, ", ".join(r.severities), r.th if lang == "th" else r.en) for r in RULES]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    indent = " " * (sum(widths) + 2 * len(widths))
    for i, row in enumerate(rows):
        click.echo("  ".join(v.ljust(w) for v, w in zip(row, widths)) + "  " + row[3])
        if i:
            click.echo(indent + " ".join(RULES[i - 1].codes))


@cli.group()
def frameworks() -> None:
    """The ITA frameworks: list the shipped ones, check one, copy one to start a new year."""


@frameworks.command("list")
def frameworks_list() -> None:
    """The shipped frameworks, one a line: year, status, rating, indicators, items, SHA-256."""
    from .framework import table

    rows = [("ITA", "status", "rating", "indicators", "items", "sha256"), *table()]
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        click.echo("  ".join(v.ljust(w) for v, w in zip(row, widths)).rstrip())


@frameworks.command("show")
@click.argument("framework")
def frameworks_show(framework: str) -> None:
    """Check and show one framework: a shipped year (2568) or a file (ita-2571.toml).

    A file that cannot be used is refused with the line and key at fault (exit 2).
    """
    from .framework import describe, load, shipped

    found = shipped(int(framework)) if framework.isdigit() else load(framework)
    click.echo(describe(found))


@frameworks.command("copy")
@click.argument("year", type=FISCAL_YEARS)
@click.argument("output", type=click.Path(dir_okay=False))
@click.option("--year", "new_year", type=Bounded(2550, 2700, integer=True), default=None,
              help="The assessment year of the copy (default: the year in OUTPUT's name, ita-YYYY.toml).")
@click.option("--force", is_flag=True, help="Replace an existing file.")
def frameworks_copy(year: int, output: str, new_year: int | None, force: bool) -> None:
    """Write a copy of a shipped framework to start a year itaxl does not ship.

    The copy's year and the year in its title are the new year's.

    \b
    itaxl frameworks copy 2569 ita-2570.toml
    (edit the facts that changed and their status and source; then)
    itaxl frameworks show ita-2570.toml
    itaxl template measures -y 2571 -o blank.xlsx --framework ita-2570.toml
    """
    from .framework import copy

    _wrote(copy(year, output, new_year=new_year, force=force))


# --------------------------------------------------------------------------- demo


_DEMO = {
    "th": {
        "built": "สร้างแบบฟอร์ม {templates} ไฟล์ และตัวอย่าง {samples} ไฟล์ จากรายงานจริงของ {offices} หน่วยงาน ใน {out}",
        "checked": "ตรวจแล้ว: ผ่าน {valid} ไฟล์ ไม่ผ่าน {invalid} ไฟล์ — ข้อผิดพลาด {errors} คำเตือน {warnings} "
                   "หมายเหตุ {notes}",
        "common": "ปัญหาที่พบบ่อย:",
        "merged": "รวมเป็นไฟล์เดียว: หน่วยงานที่ต้องส่ง {expected} ส่งแล้ว {submitted} ยังไม่ส่ง {missing}",
        "open": "เปิดดู:",
        "consolidated": "ภาพรวมสำหรับส่วนกลาง (ตัวอย่างที่มีข้อผิดพลาดก็รวมไว้ด้วย เพื่อให้เห็นทุกแผ่นงาน)",
        "blank": "แบบฟอร์มเปล่าสำหรับหน่วยงาน",
        "example": "แบบรายงานผลรอบ ๖ เดือนที่ได้จากมาตรการของหน่วยงาน",
        "samples": "ตัวอย่างที่กรอกแล้ว (มีข้อผิดพลาดจริงของแต่ละหน่วยงาน ฉบับที่แก้ไขแล้วอยู่ใน {corrected}):",
        "annotated": "ไฟล์ที่ส่งกลับให้หน่วยงานแก้ไข ช่องที่มีปัญหาเป็นสีและมีคำอธิบาย",
        "report": "รายงานผลที่หน่วยงานเผยแพร่ เป็นไฟล์ Word (จากตัวอย่างที่แก้ไขแล้ว)",
        "pdf": "รายงานเดียวกันเป็น PDF",
        "no_pdf": "(ไม่ได้ทำ PDF: ไม่พบ LibreOffice Writer)",
        "full": "รายงานฉบับเต็ม: itaxl validate {samples}",
    },
    "en": {
        "built": "Built {templates} templates and {samples} sample workbooks from {offices} offices' real reports "
                 "in {out}",
        "checked": "Checked: valid files {valid}, files with errors {invalid} — {errors} errors, {warnings} warnings, "
                   "{notes} notes",
        "common": "Most common problems:",
        "merged": "Merged: {expected} offices expected, {submitted} submitted, {missing} missing",
        "open": "Open:",
        "consolidated": "the consolidated workbook for central staff (samples with errors included, to show "
                        "every sheet)",
        "blank": "the blank template an office fills",
        "example": "a 6-month progress template made from an office's measures",
        "samples": "The sample workbooks (each with its office's real mistakes; corrected in {corrected}):",
        "annotated": "the copy sent back to an office to fix: its problem cells coloured and explained",
        "report": "the report an office publishes, a Word document (from a corrected sample)",
        "pdf": "the same report as PDF",
        "no_pdf": "(no PDF made: LibreOffice Writer is not installed)",
        "full": "The full report: itaxl validate {samples} --lang en",
    },
}


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False), default="demo-output")
@click.option("--lang", type=click.Choice(["th", "en"]), default="th", show_default=True)
def demo(directory: str, lang: str) -> None:
    """Run itaxl on the bundled samples: templates, filled workbooks, their check and their merge.

    Writes into DIRECTORY (default: demo-output/) and ends with a short summary:
    what was built, how the samples fared, the commonest problems and the files to open.
    """
    from collections import Counter

    from . import consolidation, samples
    from .batch import Tally

    words = _DEMO[lang]
    out = Path(directory)
    if not samples.SOURCE_DIR.is_dir():
        raise ItaxlError(f"the bundled sample sources are not here ({samples.SOURCE_DIR}); "
                         "run the demo from a clone of the itaxl repository")
    made = samples.build_templates(out / "templates")
    built = samples.build(samples.SOURCE_DIR, out / "samples")
    result = consolidation.merge([out / "samples"], roster=samples.ROSTER, include_invalid=True)
    tally, codes = Tally(result.ignored), Counter()  # the merge read and checked every sample: count from it
    for entry in result.files:
        tally.add(entry.sub)
        codes.update(p.code for p in entry.sub.problems if p.severity is not Severity.INFO)
    consolidated = result.to_excel(out / "consolidated.xlsx")
    annotated, report, pdf = _demo_documents(result, out)
    s, stats = result.summary, tally.stats
    offices = len(samples.sources())  # one office's real report each, whether its workbook names a code or not
    click.echo(words["built"].format(templates=len(made), samples=len(built), offices=offices, out=shown(out)))
    click.echo(words["checked"].format(**stats))
    click.echo(words["common"] + " " + ", ".join(f"{code} ({n})" for code, n in codes.most_common(3)))
    click.echo(words["merged"].format(**s))
    click.echo(words["open"])
    click.echo(f"  {shown(consolidated)} — {words['consolidated']}")
    click.echo(f"  {shown(made[0])} — {words['blank']}")
    click.echo(f"  {shown(made[1])} — {words['example']}")
    click.echo(f"  {shown(annotated)} — {words['annotated']}")
    click.echo(f"  {shown(report)} — {words['report']}")
    click.echo(f"  {shown(pdf)} — {words['pdf']}" if pdf else f"  {words['no_pdf']}")
    click.echo(words["samples"].format(corrected=shown(samples.CORRECTED_DIR)))
    for path in built:
        click.echo(f"  {shown(path)}")
    click.echo(words["full"].format(samples=shown(out / "samples")))


DEMO_ANNOTATED = "measures-2566-6311805.xlsx"
"""The sample whose annotated copy the demo writes: seed 004's measures, with its many mistakes."""
DEMO_REPORT = "progress-2566-6311805-r6.xlsx"
"""The corrected sample whose official report the demo writes."""


def _demo_documents(result, out: Path) -> tuple[Path, Path, Path | None]:
    """What offices read: an annotated copy of a sample, and the official report (a Word
    document, and its PDF when LibreOffice Writer is installed) of a corrected one."""
    from . import annotation, libreoffice, official, samples

    sub = next(e.sub for e in result.files if Path(e.sub.path).name == DEMO_ANNOTATED)
    annotated = annotation.annotate(sub, out / "returns" / annotation.output_name(DEMO_ANNOTATED))
    report, _problems = official.render(samples.CORRECTED_DIR / DEMO_REPORT,
                                        out / f"report-{Path(DEMO_REPORT).stem}.docx")
    soffice = libreoffice.find_soffice()
    writer = soffice is not None and libreoffice.has_writer(soffice)
    pdf = libreoffice.convert(report, "pdf", out, thai_numerals=True) if writer else None
    return annotated, report, pdf


if __name__ == "__main__":  # pragma: no cover
    main()
