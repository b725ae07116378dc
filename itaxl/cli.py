"""The ``itaxl`` command: a thin click layer over the library.

Every command has a Python twin with the same verb; this module only parses
options, calls the library and renders its results.  Heavy libraries (XlsxWriter,
openpyxl, pandas) are imported by the commands that need them, so that
``itaxl validate`` starts fast.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Iterable

import click

from . import __version__
from .errors import ItaxlError, UsageError


class _Group(click.Group):
    """Turns itaxl's own errors into one clear line and an exit code, never a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ItaxlError as exc:
            click.echo(f"itaxl: error: {exc}", err=True)
            for problem in getattr(exc, "problems", [])[:50]:
                click.echo(f"  {_where(problem)}  {problem.code}  {problem.message_en}", err=True)
            sys.exit(exc.exit_code)
        except (click.exceptions.Exit, click.ClickException, SystemExit, KeyboardInterrupt):
            raise
        except Exception as exc:  # a bug in itaxl: say so in one line, never a traceback
            if os.environ.get("ITAXL_DEBUG"):
                raise
            click.echo(f"itaxl: internal error: {type(exc).__name__}: {exc} "
                       "(nothing was written; set ITAXL_DEBUG=1 for details and please report it)", err=True)
            sys.exit(3)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="itaxl")
def cli() -> None:
    """ITA integrity measures of Thai local offices as locked, checked spreadsheets."""


def main() -> None:
    cli(prog_name="itaxl")


# --------------------------------------------------------------------------- template

_key_option = click.option("--key-file", type=click.Path(dir_okay=False),
                           help="Secret key file: sign (or verify) the fingerprint with HMAC-SHA256.")


def _limit_options(command):
    """--max-… options that raise the guard's limits for an unusual but honest file."""
    from .guard import DEFAULT_LIMITS as d, MiB

    options = [
        click.option("--max-file-mb", type=click.FloatRange(min=0.001), default=None,
                     help=f"Largest file accepted, MiB (default {d.max_file_bytes / MiB:g})."),
        click.option("--max-entries", type=click.IntRange(min=1), default=None,
                     help=f"Most zip members (default {d.max_entries})."),
        click.option("--max-unpacked-mb", type=click.FloatRange(min=0.001), default=None,
                     help=f"Largest unpacked size of all members, MiB (default {d.max_total_bytes / MiB:g}); "
                          f"one member may unpack to a quarter of it."),
        click.option("--max-ratio", type=click.FloatRange(min=1), default=None,
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
@click.option("--fiscal-year", "-y", type=int, required=True, help="Fiscal year of the measures, B.E. (e.g. 2567).")
@click.option("--output", "-o", type=click.Path(), required=True,
              help="Output .xlsx file, or a directory for several offices.")
@click.option("--rows", type=click.IntRange(1, 500), default=None, help="Number of input rows (default 30).")
@click.option("--password", default=None, help="Password for sheet and workbook protection (default: none).")
@_key_option
@click.option("--force", is_flag=True, help="Replace existing output files.")
def template_measures(org_codes: tuple[str, ...], province: str | None, district: str | None, fiscal_year: int,
                      output: str, rows: int | None, password: str | None, key_file: str | None,
                      force: bool) -> None:
    """Write a measures template (มาตรการส่งเสริมคุณธรรมและความโปร่งใส).

    \b
    itaxl template measures --org-code 6311805 --fiscal-year 2567 -o measures.xlsx
    itaxl template measures --province บุรีรัมย์ -y 2567 -o outbox/
    itaxl template measures -y 2567 -o blank.xlsx          # no office: office cells are inputs
    """
    from . import registry, templates
    from .metadata import load_key

    key = load_key(key_file)
    codes = list(org_codes)
    if province or district:
        codes += [o.code for o in registry.select(province, district)]
    out = Path(output)
    if len(codes) > 1 or (codes and (out.is_dir() or output.endswith(("/", "\\")))):
        paths = templates.measures_batch(codes, fiscal_year, out, rows=rows, password=password, key=key, force=force)
        click.echo(f"wrote {len(paths)} measures templates to {out}/", err=True)
        return
    if out.suffix.lower() != ".xlsx":
        raise UsageError(f"{output}: the output file must end in .xlsx")
    path = templates.measures(codes[0] if codes else None, fiscal_year, out, rows=rows, password=password,
                              key=key, force=force)
    click.echo(f"wrote {path}", err=True)


@template.command("progress")
@click.option("--from", "source", required=True, type=click.Path(exists=True),
              help="A filled measures workbook, a filled round-6 progress workbook, or a directory of them.")
@click.option("--round", "round_", type=click.Choice(["6", "12"]), required=True, help="Reporting round in months.")
@click.option("--output", "-o", type=click.Path(), required=True,
              help="Output .xlsx file, or a directory when --from is a directory.")
@click.option("--password", default=None, help="Password for sheet and workbook protection (default: none).")
@_key_option
@click.option("--force", is_flag=True, help="Replace existing output files.")
def template_progress(source: str, round_: str, output: str, password: str | None, key_file: str | None,
                      force: bool) -> None:
    """Write a progress template pre-filled with an office's own measures (locked).

    \b
    itaxl template progress --from measures-2567-6311805.xlsx --round 6 -o progress-r6.xlsx
    itaxl template progress --from inbox/measures/ --round 12 -o outbox/
    itaxl template progress --from progress-r6.xlsx --round 12 -o progress-r12.xlsx   # answers carried forward

    A measures workbook with errors is refused, with its errors listed.
    """
    from . import templates
    from .metadata import load_key
    from .validate import iter_xlsx

    key = load_key(key_file)
    single = not Path(source).is_dir()
    if single and output.lower().endswith(".xlsx"):
        path = templates.progress(source, int(round_), output, password=password, key=key, force=force)
        click.echo(f"wrote {path}", err=True)
        return
    sources = [source] if single else list(iter_xlsx([source]))
    written, refused = templates.progress_batch(sources, int(round_), output, password=password, key=key,
                                                force=force)
    if single and refused:
        raise refused[str(source)]
    click.echo(f"wrote {len(written)} progress templates to {Path(output)}/", err=True)
    for path, exc in refused.items():
        click.echo(f"refused {path}: {len(exc.problems)} errors", err=True)
        for p in exc.problems[:20]:
            click.echo(f"  {_where(p)}  {p.code}  {p.message_en}", err=True)
    if refused:
        sys.exit(1)


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
@_limit_options
def validate(paths: tuple[str, ...], fmt: str, lang: str, key_file: str | None, quiet: bool,
             annotate_dir: str | None, force: bool, **limit_args: float | None) -> None:
    """Check filled workbooks: files, or directories searched for *.xlsx.

    Exit status: 0 when no file has errors (warnings allowed), 1 when some file has errors.
    """
    from .metadata import load_key
    from .validate import iter_xlsx, read, summarise

    key = load_key(key_file)
    limits = _limits(limit_args)
    files = list(iter_xlsx(paths))
    if not files:
        raise ItaxlError(f"no .xlsx files found in {', '.join(paths)}")
    subs = [read(f, key=key, limits=limits) for f in files]
    summary = summarise(subs)
    if fmt == "json":
        doc = {"files": [_file_json(s) for s in subs], "summary": summary}
        click.echo(json.dumps(doc, ensure_ascii=False, indent=2))
    else:
        _print_text(subs, summary, lang, quiet)
    if annotate_dir:
        _annotate_all(subs, Path(annotate_dir), force)
    sys.exit(0 if summary["invalid"] == 0 else 1)


def _annotate_all(subs, directory: Path, force: bool) -> None:
    from .annotate import annotate, output_name

    for sub in subs:
        if not sub.problems:
            continue
        if sub.kind is None:
            click.echo(f"not annotated: {sub.path} ({sub.problems[0].code}: the file itself must be replaced)",
                       err=True)
            continue
        path = annotate(sub, directory / output_name(sub.path), force=force)
        click.echo(f"annotated: {path}", err=True)


def _file_json(sub) -> dict:
    return {
        "path": sub.path, "kind": sub.kind, "org_code": sub.org_code, "fiscal_year": sub.fiscal_year,
        "valid": sub.valid, "problems": [p.to_dict() for p in sub.problems],
    }


def _where(problem) -> str:
    if problem.sheet and problem.cell:
        return f"{problem.sheet}!{problem.cell}"
    return problem.sheet or "-"


_WORDS = {
    "th": {"valid": "ผ่าน", "invalid": "ไม่ผ่าน", "error": "ข้อผิดพลาด", "warning": "คำเตือน",
           "summary": "สรุป: {files} ไฟล์ ผ่าน {valid} ไม่ผ่าน {invalid} ข้อผิดพลาด {errors} คำเตือน {warnings}"},
    "en": {"valid": "valid", "invalid": "INVALID", "error": "error", "warning": "warning",
           "summary": "Summary: {files} files, {valid} valid, {invalid} invalid, {errors} errors, {warnings} warnings"},
}


def _print_text(subs: Iterable, summary: dict, lang: str, quiet: bool) -> None:
    words = _WORDS[lang]
    for sub in subs:
        if quiet and not sub.problems:
            continue
        errors = sum(p.is_error for p in sub.problems)
        warnings = len(sub.problems) - errors
        ident = " ".join(str(x) for x in (sub.kind, sub.org_code, sub.fiscal_year and f"FY{sub.fiscal_year}") if x)
        status = words["valid"] if sub.valid else words["invalid"]
        click.echo(f"{sub.path}  [{ident or '?'}]  {status}: {errors} {words['error']}, {warnings} {words['warning']}")
        for p in sub.problems:
            message = p.message_th if lang == "th" else p.message_en
            click.echo(f"  {words[p.severity.value]:<10} {_where(p):<22} {p.code:<26} {message}")
    click.echo(words["summary"].format(**summary))


# --------------------------------------------------------------------------- merge


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--output", "-o", type=click.Path(dir_okay=False), required=True, help="The consolidated .xlsx.")
@click.option("--roster", type=click.Path(exists=True, dir_okay=False),
              help="CSV of the offices expected to submit (column org_code, or the first column).")
@click.option("--province", help="Expected offices: every office of this province in the register.")
@click.option("--district", help="Expected offices: every office of this district (with or without --province).")
@click.option("--include-invalid", is_flag=True, help="Merge files with errors too (flagged in the file list).")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=1, show_default=True, help="Reader processes.")
@click.option("--csv", "csv_dir", type=click.Path(file_okay=False), help="Also write every table as CSV here.")
@click.option("--json", "json_path", type=click.Path(dir_okay=False), help="Also write the summary as JSON.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.option("--force", is_flag=True, help="Replace existing output files.")
@_key_option
@_limit_options
def merge(paths: tuple[str, ...], output: str, roster: str | None, province: str | None, district: str | None,
          include_invalid: bool, jobs: int, csv_dir: str | None, json_path: str | None, quiet: bool, force: bool,
          key_file: str | None, **limit_args: float | None) -> None:
    """Merge submissions (files, or directories searched for *.xlsx) into one consolidated workbook.

    \b
    itaxl merge inbox/ -o consolidated.xlsx --roster roster.csv
    itaxl merge inbox/ -o consolidated.xlsx --province บุรีรัมย์ --jobs 2 --json summary.json
    """
    from . import _merge_module as merge_module
    from .atomic import check_output
    from .metadata import load_key
    from .consolidated import write_json

    for target in filter(None, (output, json_path)):
        check_output(Path(target), force=force)
    if not output.lower().endswith(".xlsx"):
        raise UsageError(f"{output}: the output file must end in .xlsx")
    key = load_key(key_file)
    bar = _ProgressBar(enabled=not quiet and sys.stderr.isatty())
    result = merge_module.merge(paths, roster=roster, province=province, district=district,
                                include_invalid=include_invalid, jobs=jobs, key=key, limits=_limits(limit_args),
                                progress=bar.step, on_files=bar.start)
    bar.finish()
    if result.summary["files"] == 0:
        raise ItaxlError(f"no .xlsx files found in {', '.join(paths)}")
    inputs = tuple(e.sub.path for e in result.files)
    written = [result.to_excel(output, force=force, inputs=inputs)]
    if csv_dir:
        written += result.to_csv(csv_dir)
    if json_path:
        written.append(write_json(result, json_path, force=force))
    click.echo(result.reconciliation(), err=True)
    for path in written:
        click.echo(f"wrote {path}", err=True)


class _ProgressBar:
    """Files read so far, on stderr; silent when stderr is not a terminal."""

    def __init__(self, enabled: bool):
        self.enabled, self.total, self.done = enabled, 0, 0

    def start(self, total: int) -> None:
        self.total = total

    def step(self, n: int) -> None:
        self.done += n
        if self.enabled and (self.done % 25 == 0 or self.done == self.total):
            width = 30
            filled = int(width * self.done / max(self.total, 1))
            click.echo(f"\rreading [{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total}",
                       err=True, nl=False)

    def finish(self) -> None:
        if self.enabled and self.total:
            click.echo("", err=True)


# --------------------------------------------------------------------------- report


@cli.command()
@click.argument("source", type=click.Path(dir_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="The report workbook to write (.xlsx); with --pdf the PDF goes beside it.")
@click.option("--pdf", is_flag=True, help="Also write the PDF, through LibreOffice (headless).")
@click.option("--thai-digits", is_flag=True, help="Write numbers and dates in Thai digits (๑๒๓).")
@click.option("--force", is_flag=True, help="Overwrite existing output files.")
def report(source: str, output: str, pdf: bool, thai_digits: bool, force: bool) -> None:
    """Render a filled progress (or measures) workbook as the document the office publishes.

    The layout of the offices' own reports: title, office, fiscal year, round and
    period; the table; signature blocks for the reporter and the reviewer. TH
    SarabunPSK 16, A4 landscape, the table header on every page.
    """
    from . import office, official

    if Path(output).suffix.lower() != ".xlsx":
        raise UsageError(f"{output}: the report is a workbook; name it .xlsx (the PDF is written beside it)")
    written, problems = official.render(source, output, thai_digits=thai_digits, force=force)
    click.echo(f"wrote {written}")
    errors = sum(p.is_error for p in problems)
    if errors:
        click.echo(f"note: {source} has {errors} error(s); the report shows what the workbook says "
                   f"(see `itaxl validate {source}`)", err=True)
    if pdf:
        try:
            click.echo(f"wrote {office.convert(written, 'pdf', Path(written).parent, force=force)}")
        except office.OfficeMissingError as exc:
            click.echo(f"itaxl: {exc}", err=True)
            sys.exit(1)


# --------------------------------------------------------------------------- demo


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False), default="demo-output")
def demo(directory: str) -> None:
    """Run itaxl on the bundled samples: templates, filled workbooks, validation report.

    Writes into DIRECTORY (default: demo-output/) and says what it wrote where.
    """
    from . import samples
    from .validate import read, summarise

    out = Path(directory)
    if not samples.SOURCE_DIR.is_dir():
        raise ItaxlError(f"the bundled sample sources are not here ({samples.SOURCE_DIR}); "
                         "run the demo from a clone of the itaxl repository")
    made = samples.build_templates(out / "templates")
    built = samples.build(samples.SOURCE_DIR, out / "samples")
    click.echo("templates: " + "\n           ".join(map(str, made)))
    click.echo("samples:   " + "\n           ".join(map(str, built)))
    click.echo("")
    subs = [read(p) for p in built]
    _print_text(subs, summarise(subs), "en", quiet=False)
    from . import _merge_module

    roster = samples.SAMPLES_DIR / "roster.csv"
    result = _merge_module.merge([out / "samples"], roster=roster, include_invalid=True)
    consolidated = result.to_excel(out / "consolidated.xlsx")
    click.echo("")
    click.echo(result.reconciliation())
    click.echo(f"consolidated: {consolidated}  (roster {roster.name}; samples with errors merged too, "
               "flagged, to show every sheet)")

if __name__ == "__main__":  # pragma: no cover
    main()
