#!/usr/bin/env python3
"""Build the site: `python build.py` (see `python build.py build --help`)."""

import sys

from sitegen.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:], fast_exit=True))
