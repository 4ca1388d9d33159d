"""What every Quill command line shares: one-line usage errors and one-line failures (exit 2), no tracebacks."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable

from .decoding import DecodingError
from .errors import QuillError


class OneLineParser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit 2 (argparse prints usage too, which hides the reason)
        self.exit(2, f"error: {message} (see --help)\n")


def report_errors(run: Callable[[], int | None]) -> int:
    """Runs a command: our errors print as one line with exit 2; others as one line with exit 1 (QUILL_DEBUG=1
    shows the traceback)."""
    try:
        return run() or 0
    except (QuillError, DecodingError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # noqa: BLE001 - a command-line user gets one line
        if os.environ.get("QUILL_DEBUG"):
            raise
        print(f"error: unexpected {type(error).__name__}: {error} (set QUILL_DEBUG=1 for details)", file=sys.stderr)
        return 1
