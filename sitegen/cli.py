"""The command line: `python build.py [build] [--out DIR] [--base-url URL] [--drafts] [--json]`.

Exit codes: 0 built, 1 errors in the site's sources, 2 bad usage.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from .deploy import ENVIRONMENTS, resolve_deploy
from .errors import BuildFailed, SiteError, UsageError
from .pipeline import BuildOptions, BuildResult, build

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2
COMMANDS = ("build",)
PLANNED = ("serve", "check")  # the preview server and the SEO checker come next


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build.py",
        description="Build the multi-location program site from content/, layouts/ and assets/.",
        epilog="Exit codes: 0 built, 1 errors in the site's files, 2 bad usage.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    b = commands.add_parser("build", help="build the site into the output folder (the default)")
    b.add_argument("--out", type=Path, default=None, help="output folder (default: public)")
    b.add_argument(
        "--base-url",
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
        "--jobs", type=_positive, default=None, help="worker processes (default: one per core)"
    )
    b.add_argument("--root", type=Path, default=Path("."), help="project folder (default: .)")
    return parser


def main(argv: list[str] | None = None, *, fast_exit: bool = False) -> int:
    """Run a command; its exit code. With `fast_exit` (build.py), a successful build ends the
    process at once, skipping the teardown of the loaded site (~0.1 s on a big site)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in PLANNED:
        print(f"build.py: '{argv[0]}' is not available yet; use 'build'", file=sys.stderr)
        return EXIT_USAGE
    if not argv or argv[0] not in (*COMMANDS, "-h", "--help"):
        argv = ["build", *argv]
    args = make_parser().parse_args(argv)
    root = args.root
    out = args.out if args.out is not None else root / "public"
    report = Reporter(json_mode=args.json)
    try:
        deploy = resolve_deploy(args.env, args.deploy_url, os.environ)
        options = BuildOptions(
            root=root,
            out=out,
            base_url=args.base_url,
            drafts=args.drafts,
            jobs=args.jobs,
            deploy=deploy,
        )
        result = build(options)
    except UsageError as exc:
        return report.usage(str(exc))
    except BuildFailed as failed:
        return report.failed(failed.errors, out)
    except OSError as exc:  # the disk, not the site: full, read-only, no permission
        return report.failed(
            [SiteError(f"cannot write the output: {exc}", hint=_os_hint(exc))], out
        )
    code = report.built(result)
    if fast_exit:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    return code


def _os_hint(exc: OSError) -> str:
    return "check that the output folder's parent exists, is writable and has free space"


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return number


class Reporter:
    def __init__(self, json_mode: bool):
        self.json_mode = json_mode
        colour = sys.stderr.isatty() and "NO_COLOR" not in os.environ
        self.red = (lambda s: f"\033[1;31m{s}\033[0m") if colour else str
        self.yellow = (lambda s: f"\033[1;33m{s}\033[0m") if colour else str

    def usage(self, message: str) -> int:
        if self.json_mode:
            self._json({"ok": False, "usage_error": message})
        print(f"build.py: error: {message}", file=sys.stderr)
        return EXIT_USAGE

    def failed(self, errors: list[SiteError], out: Path) -> int:
        if self.json_mode:
            self._json({"ok": False, "errors": [e.as_dict() for e in errors]})
        for error in errors:
            print(f"{self.red('error')}: {error}", file=sys.stderr)
        state = "is unchanged" if out.exists() else "was not created"
        print(
            f"\nBuild failed with {len(errors)} error(s); nothing was written, {out} {state}.",
            file=sys.stderr,
        )
        return EXIT_CONTENT

    def built(self, result: BuildResult) -> int:
        if self.json_mode:
            self._json(
                {
                    "ok": True,
                    "out": str(result.out),
                    "pages": result.pages,
                    "assets": result.assets,
                    "written": result.written,
                    "unchanged": result.unchanged,
                    "removed": result.removed,
                    "jobs": result.jobs,
                    "env": result.env,
                    "warnings": [w.as_dict() for w in result.warnings],
                    "seconds": round(result.seconds, 3),
                    "timings": {k: round(v, 3) for k, v in result.timings.items()},
                }
            )
            return EXIT_OK
        for warning in result.warnings:
            print(f"{self.yellow('warning')}: {warning}", file=sys.stderr)
        steps = ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in result.timings.items())
        print(
            f"Built {result.pages} pages and {result.assets} assets into {result.out}/ "
            f"in {result.seconds:.2f} s ({steps}); {result.written} files written, "
            f"{result.unchanged} unchanged, {result.removed} removed; "
            f"{len(result.warnings)} warning(s)."
        )
        if result.env != "production":
            print(
                "This is a preview build: every page says noindex and robots.txt disallows "
                "all; canonical URLs still point at the production site."
            )
        return EXIT_OK

    def _json(self, data: dict) -> None:
        print(json.dumps(data, indent=2, sort_keys=True))


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
