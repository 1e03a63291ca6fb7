"""The command line: `python build.py [build] [--out DIR] [--base-url URL] [--drafts] [--json]`,
`python build.py check [FOLDER]` and `python build.py serve [--port N] [--open]`.

Exit codes: 0 built, 1 errors in the site's sources, 2 bad usage, 74 a report that could
not be written to standard output (sitegen.streams).
"""

from __future__ import annotations

import argparse
import functools
import os
import re
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from sitegen.model.environments import ENVIRONMENTS, PRODUCTION
from sitegen.serve.bound import DEFAULT_LIMIT
from sitegen.streams import command_name, counted, guarded, outcome, standard_descriptors

# Each command imports its own modules when it runs: `import sitegen.cli` stays cheap
# (argparse and small modules, no dataclass: what a build handed to the resident process
# needs; tests/test_startup.py guards it).
if TYPE_CHECKING:
    from sitegen.buildcache import CachedBuild
    from sitegen.check.model import CheckReport
    from sitegen.errors import SiteError
    from sitegen.images.produce import Encoded
    from sitegen.model.deploy import Deploy
    from sitegen.pipeline import BuildResult, Kept

FORMATS = ("text", "json", "github")  # of check's report (sitegen.check.report)

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT: the shell's code for a command ended by Ctrl+C
COMMANDS = ("build", "check", "serve")


def make_parser() -> argparse.ArgumentParser:
    """The parser of the commands build (the default), check and serve and their options.
    Bad arguments make argparse print usage and exit with code 2 (EXIT_USAGE)."""
    parser = argparse.ArgumentParser(
        prog=command_name(),
        description="Build the multi-location program site from content/, layouts/ and assets/.",
        epilog="Exit codes: 0 built, 1 errors in the site's files, 2 bad usage, 74 the report "
        "could not be written to standard output.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    b = commands.add_parser("build", help="build the site into the output folder (the default)")
    b.add_argument("--out", type=Path, default=None, help="output folder (default: public)")
    b.add_argument(
        "--base-url",
        type=_base_url,
        help="the production site's address, for canonical URLs (default: site.yaml's)",
    )
    b.add_argument(
        "--env",
        choices=ENVIRONMENTS,
        default=None,
        help="production, or preview: noindex everywhere, canonicals still to production "
        "(default: from Netlify's CONTEXT; production outside Netlify)",
    )
    b.add_argument(
        "--deploy-url",
        help="a preview's own address (default: Netlify's DEPLOY_PRIME_URL in previews)",
    )
    b.add_argument("--drafts", action="store_true", help="include pages marked draft: true")
    b.add_argument("--json", action="store_true", help="print a machine-readable report")
    b.add_argument(
        "--jobs",
        type=_positive,
        default=None,
        help="worker processes (default: one per core for sites of more than a few hundred "
        "pages; 1 renders in this process)",
    )
    b.add_argument("--root", type=Path, default=Path("."), help="project folder (default: .)")
    b.add_argument(
        "--image-cache",
        type=Path,
        default=None,
        help="folder of encoded pictures kept between builds (default: $SITEGEN_IMAGE_CACHE, "
        "else ~/.cache/sitegen/images)",
    )
    b.add_argument(
        "--no-cache",
        action="store_true",
        help="render every page, as into an empty folder (by default only the pages of "
        "changed files are rendered, and a build with nothing changed is answered from the "
        "build cache)",
    )
    b.add_argument("--check", action="store_true", help="check the built site (see 'check')")
    b.add_argument("--format", choices=FORMATS, default="text", help="--check report format")
    c = commands.add_parser(
        "check",
        help="check a folder of built pages for SEO and HTML problems",
        description="Check built pages: titles, descriptions, canonicals, links, images, "
        "structured data, duplicates, doorway pages, sitemap, redirects. Exit 1 on errors.",
    )
    c.add_argument("folder", nargs="?", type=Path, default=None, help="default: the output folder")
    c.add_argument("--root", type=Path, default=Path("."), help="project folder (default: .)")
    c.add_argument(
        "--site-url",
        type=_origin,
        help="production origin (default: site.yaml, or the canonicals)",
    )
    c.add_argument("--format", choices=FORMATS, default="text")
    c.add_argument("--env", choices=ENVIRONMENTS, default=PRODUCTION, help="default: production")
    c.add_argument("--no-cache", action="store_true", help="read every page again")
    s = commands.add_parser(
        "serve",
        help="preview the site: rebuild and reload the browser on every save",
        description="Build the site (drafts included) into a temporary folder, serve it and "
        "rebuild what a saved file changes; the browser reloads by itself and shows errors "
        "with their file and line.",
    )
    s.add_argument("--port", type=_port, default=8000, help="default: 8000")
    s.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default: 127.0.0.1, this computer only; 0.0.0.0 lets "
        "other devices of the network in)",
    )
    s.add_argument("--open", action="store_true", help="open the site in the web browser")
    s.add_argument("--root", type=Path, default=Path("."), help="project folder (default: .)")
    s.add_argument(
        "--out", type=Path, default=None, help="build into this folder (default: a temporary one)"
    )
    s.add_argument(
        "--jobs",
        type=_positive,
        default=None,
        help="worker processes (default: one per core for sites of more than a few hundred "
        "pages; 1 renders in this process)",
    )
    s.add_argument(
        "--rebuild-limit",
        type=_seconds,
        default=DEFAULT_LIMIT,
        metavar="SECONDS",
        help=f"stop a build that takes longer and show its error (default: {DEFAULT_LIMIT:g}; "
        "0: no limit)",
    )
    for command in (b, c, s):  # its own usage for a mistake in its options (_parse)
        command.set_defaults(command_parser=command)
    return parser


def _parse(argv: list[str]) -> argparse.Namespace:
    """`argv` parsed; an option the command does not know is a usage error (exit 2) with
    that command's usage, not the top-level one."""
    args, unknown = make_parser().parse_known_args(argv)
    if unknown:
        args.command_parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    return args


def main(
    argv: list[str] | None = None, *, fast_exit: bool = False, kept: Kept | None = None
) -> int:
    """Run a command; its exit code. With `fast_exit` (build.py), the command ends the
    process at once (os._exit, its output flushed), skipping the teardown of the loaded
    site (~0.1 s on a big site); Ctrl+C ends it with "Stopped." and EXIT_INTERRUPTED (130,
    no traceback); a build is handed to the project's resident build process
    (sitegen.resident) or, when there is none, this process stays resident after its
    build; its stdout and stderr are guarded (sitegen.streams): a reader that goes away
    cuts the printing short, and a report that cannot be written makes a success exit 74.
    `kept`: what the resident process keeps between builds (it runs each build it is
    handed with it)."""
    if fast_exit:  # the command's own process: a reader that goes away breaks nothing
        standard_descriptors()
        sys.stdout, sys.stderr = guarded(sys.stdout, 1), guarded(sys.stderr, 2)
        try:
            code = _command(argv, fast_exit, kept)
        except SystemExit as exit:  # argparse: --help, or a bad option (its message given)
            code = exit.code if isinstance(exit.code, int) else EXIT_USAGE
        except KeyboardInterrupt:  # Ctrl+C: what it interrupted has tidied up on the way
            print("\nStopped.", file=sys.stderr)
            code = EXIT_INTERRUPTED
        # os._exit: a thread of a worker pool stopped midway (sitegen.forks) may wait for
        # ever for a killed worker's result; Python's own exit would wait for it
        _end(code)
    return _command(argv, fast_exit, kept)


def run() -> NoReturn:
    """The `sitegen` command (pip's console script): the same as `python build.py`, its
    arguments from sys.argv (main with `fast_exit`: the resident process, Ctrl+C's
    "Stopped." and exit 130, guarded output)."""
    main(sys.argv[1:], fast_exit=True)
    raise AssertionError("main(fast_exit=True) ends the process")  # pragma: no cover


def _command(argv: list[str] | None, fast_exit: bool, kept: Kept | None) -> int:
    """Parse `argv` and run its command (main does the rest); with `fast_exit`, a build
    ends the process here (`_end`) and may hand over to, or become, a resident process."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and not argv[0].startswith("-") and argv[0] not in COMMANDS:
        import difflib  # `build` takes no word of its own: this is a command misspelt

        close = difflib.get_close_matches(argv[0], COMMANDS, n=1)
        guess = f"; did you mean '{close[0]}'?" if close else ""
        make_parser().error(
            f"unknown command '{argv[0]}'{guess} (the commands: {', '.join(COMMANDS)})"
        )
    if not argv or argv[0] not in (*COMMANDS, "-h", "--help"):
        argv = ["build", *argv]
    args = _parse(argv)
    if args.command == "check":
        return _check(args)
    if args.command == "serve":
        return _serve(args)
    resident = None
    if fast_exit and kept is None:
        from sitegen.resident.client import address, enabled, hand_over

        if enabled(os.environ):
            code = hand_over(argv, args.root)
            if code is not None:
                _end(code)
            resident = address(args.root)
    own = ""
    if resident is not None:
        from sitegen.codeversion import code_digest
        from sitegen.pipeline import Kept

        kept = Kept()
        own = code_digest()  # of the code this build imports: before it does
    code = _build(args, kept)
    if fast_exit:
        if resident is not None and kept is not None and _is_project(args.root):
            from sitegen.resident.client import running
            from sitegen.resident.server import stay

            if running(args.root) is None:  # else one runs, which declined this build
                build = functools.partial(_resident_build, kept)  # (client.DECLINED)
                stay(resident, build, tidy=kept.tidy, code=own)
        _end(code)
    return code


def _is_project(root: Path) -> bool:
    """Whether `root` is a project folder (it has site.yaml): a command run in the wrong
    folder leaves no resident process behind."""
    from sitegen.model.project import CONFIG_FILE

    return (root / CONFIG_FILE).is_file()


def _resident_build(kept: Kept, argv: list[str]) -> int:
    """A build handed to the resident process (sitegen.resident.server)."""
    return main(argv, kept=kept)


def _end(code: int) -> NoReturn:
    """End the command-line process at once with `code`, its output flushed (a report that
    could not be written makes it streams.EXIT_UNWRITTEN)."""
    os._exit(outcome(code, sys.stdout, sys.stderr))


def _build(args: argparse.Namespace, kept: Kept | None) -> int:
    """The build command (and its --check); its exit code. Its stdout holds one format:
    with --json one JSON document (with --check, the check's report is its "check"), with
    --check --format json the check's JSON (the build's summary then goes to stderr)."""
    out = args.out if args.out is not None else args.root / "public"
    report = Reporter(
        json_mode=args.json,
        github=args.format == "github",
        hold=args.json and args.check,  # one JSON document: the check's report goes in it
        summary_to_stderr=args.check and args.format == "json",  # stdout: the check's JSON
    )
    try:
        return _build_and_check(args, kept, report, out)
    finally:
        report.release()


def _build_and_check(
    args: argparse.Namespace, kept: Kept | None, report: Reporter, out: Path
) -> int:
    """The build command's work for `_build`, reported by `report`; its exit code."""
    from sitegen.buildcache import replay
    from sitegen.errors import BuildFailed, SiteError, UsageError
    from sitegen.model.deploy import resolve_deploy

    root = args.root
    if not root.is_dir():  # else the output's lock would make the folders on the way
        return report.usage(f"there is no project folder {root}")
    try:
        deploy = resolve_deploy(args.env, args.deploy_url, os.environ)
        key = _cache_key(args, out, deploy)
        started = time.perf_counter()
        replayed = None if args.no_cache or key is None else replay(out, key, root)
        if replayed is not None and replayed.cached is not None:
            replayed.cached.timings["cache"] = time.perf_counter() - started
            return _report_cached(replayed.cached, args, report)
        from sitegen.pipeline import BuildOptions, build

        options = BuildOptions(
            root=root,
            out=out,
            base_url=args.base_url,
            drafts=args.drafts,
            jobs=args.jobs,
            deploy=deploy,
            image_cache=args.image_cache,
            notice=lambda text: print(text, file=sys.stderr, flush=True),
            cache_key=key,
            use_cache=not args.no_cache,
        )
        result = build(options, kept, replayed.inputs if replayed is not None else None)
    except UsageError as exc:
        return report.usage(str(exc))
    except BuildFailed as failed:
        return report.failed(failed.errors, out, failed.warnings)
    except OSError as exc:  # the disk, not the site: full, read-only, no permission
        return report.failed(
            [SiteError(f"cannot write the output: {exc}", hint=_os_hint(exc))], out
        )
    code = report.built(result)
    if args.check:
        from sitegen.check.command import check_build, options_from

        assert result.retained is not None  # set by every build
        site, routes = result.retained
        try:
            check = check_build(
                options_from(site.config, out, root, None, options.deploy.production),
                site.content,
                routes,
            )
        except UsageError as exc:  # a build that started meanwhile was stopped half-way
            return report.usage(str(exc))
        _show_check(check, args, report)
        code = code or (EXIT_CONTENT if check.errors else EXIT_OK)
    return code


def _show_check(check: CheckReport, args: argparse.Namespace, report: Reporter) -> None:
    """Print the report of a build's --check in args.format; with --json, put it in the
    build's JSON document as "check" (and a text or github report on stderr)."""
    from sitegen.check.report import as_data, render

    if report.hold:
        report.extra["check"] = as_data(check)
        if args.format != "json":
            print(render(check, args.format, _colour()), file=sys.stderr)
    else:
        print(render(check, args.format, _colour()))


def _cache_key(args: argparse.Namespace, out: Path, deploy: Deploy) -> str | None:
    """The build cache's key of this command's options (None: the project or output
    folder cannot be named, which the build reports)."""
    from sitegen.buildcache import build_key
    from sitegen.images.store import image_cache_dir

    try:
        return build_key(
            args.root,
            out,
            args.base_url,
            args.drafts,
            (deploy.env, deploy.url),
            image_cache_dir(args.image_cache),
        )
    except (OSError, RuntimeError, ValueError):
        return None


def _report_cached(cached: CachedBuild, args: argparse.Namespace, report: Reporter) -> int:
    """Report a build the cache answered, then check the folder if asked (as `check`
    does: from the manifest the last build recorded)."""
    code = report.built(cached)
    if args.check:
        args.folder, args.site_url, args.no_cache = cached.out, None, False
        args.env = cached.env
        code = code or _check(args, lambda check: _show_check(check, args, report))
    return code


def _duration(seconds: float) -> str:
    """A build's time as people read it: "4 ms" under a second, else "2.31 s"."""
    return f"{seconds * 1000:.0f} ms" if seconds < 0.9995 else f"{seconds:.2f} s"


def _base_url(value: str) -> str:
    """--base-url: a site's address, by site.yaml's rule for base_url (a usage error here,
    not an error blamed on site.yaml)."""
    from sitegen.model.siteurl import base_url_problem

    problem = base_url_problem(value)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return value


def _origin(value: str) -> str:
    """--site-url: an origin (https://www.example.com, maybe with a slash), not a host
    alone or a page: every canonical URL would be judged against what it is not."""
    if not re.fullmatch(r"https?://[^/?#\s]+/?", value.strip()):
        raise argparse.ArgumentTypeError(
            f"{value!r} is not an origin: write the scheme and host, "
            "e.g. https://www.example.com, without a path"
        )
    return value.strip()


def _check(args: argparse.Namespace, show: Callable[[CheckReport], None] | None = None) -> int:
    """The check command (or a cached build's --check): its exit code. `show` prints the
    report (default: in args.format on stdout)."""
    from sitegen.check.command import check_command
    from sitegen.check.report import render
    from sitegen.errors import BuildFailed, SiteError, UsageError

    fmt = args.format if show is None else "text"  # --check: the build's report says it
    folder = args.folder if args.folder is not None else args.root / "public"
    if not args.root.is_dir():
        return _check_failed(fmt, usage=f"there is no project folder {args.root}")
    if not folder.is_dir():
        return _check_failed(fmt, usage=f"there is no folder {folder} to check")
    try:
        report = check_command(
            folder, args.root, args.site_url, args.env == PRODUCTION, not args.no_cache
        )
    except UsageError as exc:  # a half-committed folder
        return _check_failed(fmt, usage=str(exc))
    except BuildFailed as failed:
        return _check_failed(fmt, failed.errors)
    except SiteError as error:
        return _check_failed(fmt, [error])
    if show is None:
        print(render(report, args.format, _colour()))
    else:
        show(report)
    return EXIT_CONTENT if report.errors else EXIT_OK


def _check_failed(fmt: str, errors: Sequence[SiteError] = (), usage: str | None = None) -> int:
    """Report a check that could not judge the folder: a usage error (`usage`: exit 2) or
    `errors` of the project's settings (exit 1), on stderr, and in the format asked for on
    stdout: the JSON report's fields with "ok": false (report.failed_data), or GitHub
    annotations."""
    from sitegen.errors import inert as inert_text

    if fmt == "json":
        import json

        from sitegen.check.report import failed_data

        data = failed_data(errors, usage)
        print(json.dumps(data, sort_keys=True, separators=(",", ":")))
    elif fmt == "github":
        from sitegen.check.report import escape_data

        for error in errors:
            print(github_command("error", error))
        if usage is not None:
            print(f"::error title=usage::{escape_data(inert_text(usage))}")
    if usage is not None:
        print(f"{command_name()}: error: {usage}", file=sys.stderr)
        return EXIT_USAGE
    for error in errors:
        print(f"error: {error}", file=sys.stderr)
    return EXIT_CONTENT


def _serve(args: argparse.Namespace) -> int:
    from sitegen.errors import UsageError
    from sitegen.serve.server import ServeOptions, serve

    if not (args.root / "site.yaml").is_file():
        print(f"{command_name()}: error: {args.root} has no site.yaml to serve", file=sys.stderr)
        return EXIT_USAGE
    options = ServeOptions(
        args.root, args.host, args.port, args.out, args.open, args.jobs, args.rebuild_limit or None
    )
    try:
        return serve(options)
    except UsageError as exc:
        print(f"{command_name()}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE


def _colour() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def _os_hint(exc: OSError) -> str:
    return "check that the output folder's parent exists, is writable and has free space"


def _port(value: str) -> int:
    number = int(value)
    if not 1 <= number <= 65535:
        raise argparse.ArgumentTypeError("must be a port number, 1 to 65535")
    return number


def _seconds(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError("must be a number of seconds") from None
    if not number >= 0 or number == float("inf"):
        raise argparse.ArgumentTypeError("must be 0 (no limit) or more")
    return number


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return number


def github_command(level: str, error: SiteError) -> str:
    """`::error file=F,line=L,col=C,title=T::message` for a problem of the build (GitHub's
    workflow commands: https://docs.github.com/actions/reference/workflow-commands-for-github-actions)."""
    from sitegen.check.report import escape_data, escape_property  # only when asked for
    from sitegen.errors import inert

    src = error.source
    parts = []
    if src is not None:
        parts.append(f"file={escape_property(inert(src.path))}")
        if src.line is not None:
            parts.append(f"line={src.line}")
            if src.column is not None:
                parts.append(f"col={src.column}")
    parts.append(f"title={escape_property(inert(error.message.split(':', 1)[0]))}")
    message = error.message + (f" (hint: {error.hint})" if error.hint else "")
    return f"::{level} {','.join(parts)}::{escape_data(inert(message))}"


class Reporter:
    """Tells how a build went, as text for people or, with `json_mode` (--json), as one JSON
    object on stdout. Errors (in both modes) and warnings (in text) go to stderr, in colour on
    a terminal unless NO_COLOR is set (https://no-color.org). Each method returns the exit
    code."""

    def __init__(
        self,
        json_mode: bool,
        github: bool = False,
        hold: bool = False,
        summary_to_stderr: bool = False,
    ):
        self.json_mode = json_mode
        self.hold = hold  # the JSON object waits for `release` (and what `extra` gets)
        self.held: dict | None = None
        self.extra: dict[str, object] = {}
        self.summary = sys.stderr if summary_to_stderr else None  # None: stdout
        self.github = github  # also GitHub workflow commands, for annotations on the files
        colour = sys.stderr.isatty() and "NO_COLOR" not in os.environ
        self.red = (lambda s: f"\033[1;31m{s}\033[0m") if colour else str
        self.yellow = (lambda s: f"\033[1;33m{s}\033[0m") if colour else str

    def usage(self, message: str) -> int:
        """Report a bad command line or output folder; returns EXIT_USAGE (2)."""
        if self.json_mode or self.summary is not None:  # stdout: JSON, whatever happens
            self._json({"ok": False, "usage_error": message})
        print(f"{command_name()}: error: {message}", file=sys.stderr)
        return EXIT_USAGE

    def failed(self, errors: list[SiteError], out: Path, warnings: Sequence[SiteError] = ()) -> int:
        """Report every error (and warning) of a failed build and that `out` was left as it
        was (unchanged, or not created); returns EXIT_CONTENT (1)."""
        if self.json_mode or self.summary is not None:  # stdout: JSON, whatever happens
            self._json(
                {
                    "ok": False,
                    "errors": [e.as_dict() for e in errors],
                    "warnings": [w.as_dict() for w in warnings],
                }
            )
        if self.github:  # on stdout, where the check's annotations go too
            for level, found in (("warning", warnings), ("error", errors)):
                for problem in found:
                    print(github_command(level, problem))
        for warning in warnings:
            print(f"{self.yellow('warning')}: {warning}", file=sys.stderr)
        for error in errors:
            print(f"{self.red('error')}: {error}", file=sys.stderr)
        from sitegen.model.journal import journal_path

        if journal_path(out).exists():  # the disk failed while the files were moved in
            state = (
                f"{out} was left half-committed; the next build finishes the commit, "
                "or rewrites every file that differs"
            )
        else:
            where = "is unchanged" if out.exists() else "was not created"
            state = f"nothing was written, {out} {where}"
        print(
            f"\nBuild failed with {counted(len(errors), 'error')}; {state}.",
            file=sys.stderr,
        )
        return EXIT_CONTENT

    def built(self, result: BuildResult | CachedBuild) -> int:
        """Report a good build: its warnings, counts and step times (milliseconds in text,
        seconds in JSON), and that a preview build is noindex; returns EXIT_OK (0)."""
        from sitegen.buildcache import CachedBuild

        if self.json_mode:
            self._json(
                {
                    "ok": True,
                    "out": str(result.out),
                    "pages": result.pages,
                    "rendered": result.rendered,
                    "assets": result.assets,
                    "written": result.written,
                    "unchanged": result.unchanged,
                    "removed": result.removed,
                    "jobs": result.jobs,
                    "env": result.env,
                    "warnings": [w.as_dict() for w in result.warnings],
                    "seconds": round(result.seconds, 3),
                    "timings": {k: round(v, 3) for k, v in result.timings.items()},
                    "images": _images_json(result.images),
                    "cached": isinstance(result, CachedBuild),
                }
            )
            return EXIT_OK
        for warning in result.warnings:
            print(f"{self.yellow('warning')}: {warning}", file=sys.stderr)
        steps = ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in result.timings.items())
        if isinstance(result, CachedBuild):
            steps = f"nothing changed since the last build, {steps}; --no-cache builds anyway"
        pages = counted(result.pages, "page")
        if result.rendered < result.pages and not isinstance(result, CachedBuild):
            pages += f" ({result.rendered} rendered, the others unchanged since the last build)"
        print(
            f"Built {pages} and {counted(result.assets, 'asset')} into {result.out}/ "
            f"in {_duration(result.seconds)} ({steps}); {counted(result.written, 'file')} "
            f"written, {result.unchanged} unchanged, {result.removed} removed; "
            f"{counted(len(result.warnings), 'warning')}.",
            file=self.summary,
        )
        if result.images is not None and result.images.encoded:
            print(_images_line(result.images), file=self.summary)
        if result.env != "production":
            print(
                "This is a preview build: every page says noindex and robots.txt disallows "
                "all; canonical URLs still point at the production site.",
                file=self.summary,
            )
        return EXIT_OK

    def release(self) -> None:
        """Print the JSON object held back (with `extra` in it), if any."""
        held, self.held, self.hold = self.held, None, False
        if held is not None:
            self._json({**held, **self.extra})

    def _json(self, data: dict) -> None:
        import json

        if self.hold:
            self.held = data
            return
        print(json.dumps(data, indent=2, sort_keys=True))


def _images_json(images: Encoded | None) -> dict | None:
    if images is None:
        return None
    return {
        "encoded": images.encoded,
        "cached": images.cached,
        "seconds": {name: round(s, 3) for name, s in images.seconds.items()},
    }


def _images_line(images: Encoded) -> str:
    """'Pictures: 40 files encoded (8 from the cache) in 3.1 s of work; slowest:
    images/a.jpg 1.20 s, ...' (seconds of work summed over the cores)."""
    from sitegen.errors import inert  # a picture's name is an editor's

    slowest = ", ".join(f"{inert(name)} {s:.2f} s" for name, s in list(images.seconds.items())[:3])
    work = sum(images.seconds.values())
    return (
        f"Pictures: {counted(images.encoded, 'file')} encoded, {images.cached} from the image "
        "cache; "
        f"{work:.1f} s of encoding; slowest: {slowest}"
    )


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
