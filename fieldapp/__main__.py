"""``python -m fieldapp [--port N] [--data-dir DIR] [--host 127.0.0.1]``: run the field app.

Without a display it serves the web client (no CDN: it works offline) on 127.0.0.1 and prints
the URL on stdout. This is the core's one declared launcher: the only module under
``fieldapp/`` that imports the root. It hands the command line to ``main.cli``, the composition
root beside this package (found on the path the project is installed with; see the Makefile).
"""

from main import cli

if __name__ == "__main__":
    cli()
