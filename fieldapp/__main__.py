"""``python -m fieldapp [--port N] [--data-dir DIR] [--host 127.0.0.1]``: run the field app.

Without a display it serves the web client (no CDN: it works offline) on 127.0.0.1 and prints
the URL on stdout. The work is done by ``main.run``, the composition root.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m fieldapp",
                                     description="Politikontakt – feltapp for politikontakten")
    parser.add_argument("--port", type=int, default=8550, help="web port (default 8550)")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--data-dir", default=None, help="where the logbook is kept")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    root = Path(__file__).resolve().parents[1]
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    import main as app_main  # the composition root beside this package

    app_main.run(port=args.port, host=args.host, data_dir=args.data_dir)


if __name__ == "__main__":
    main()
