"""``python -m sync.server``: the reference municipal backend's commands.

``--db`` is a SQLite file or a ``postgresql://user@host/db`` URL (password from ``PGPASSWORD``
or ``~/.pgpass`` rather than in the URL: see db.py).

    serve    --db FILE|URL [--host 127.0.0.1] [--port 8700] [--workers N]   (N > 1: PostgreSQL)
    enrol    --db FILE --device NAME          (the one-time code is the last line printed)
    revoke   --db FILE --device NAME
    contacts import --db FILE contacts.csv
    schools  import --db FILE schools.csv
    agreement import --db FILE agreement.json
    agreement export --db FILE [--municipality CODE]
    export   --db FILE [--format csv|json]
    config   --db FILE [--municipality CODE] [--recipient slt] [--name TEXT] [--min-app-version V]
    report   --db FILE --year YYYY [--half 1|2] [--format pdf|csv] --out FILE
    user add --db FILE --name NAME --role coordinator|admin   (password from stdin; list, disable)
    archive export --db FILE --out DIR [--year YYYY] [--municipality CODE]   (PDF/A + Noark 5)
    audit verify --db FILE       (the audit's hash chain; exit 1 naming the first broken row)
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from fieldapp.domain.codes import RECIPIENTS

from . import admin, agreements, archive, audit_chain, report
from .console import cli as console_cli
from .db import Database
from .dialect import DB_HELP, db_target, errors
from .serve import serve


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m sync.server",
                                     description="Politikontakt reference municipal backend")
    sub = parser.add_subparsers(dest="command", required=True)

    def command(name: str, help_text: str,
                parent: argparse._SubParsersAction[argparse.ArgumentParser] = sub
                ) -> argparse.ArgumentParser:
        p = parent.add_parser(name, help=help_text)
        p.add_argument("--db", required=True, type=db_target, help=DB_HELP)
        return p

    serve = command("serve", "run the HTTP API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8700)
    serve.add_argument("--certfile", help="TLS certificate (PEM); without it plain HTTP")
    serve.add_argument("--keyfile", help="TLS private key (PEM)")
    serve.add_argument("--log-level", default="info")
    serve.add_argument("--workers", type=int, default=1,
                       help="server processes (more than one needs PostgreSQL)")
    command("enrol", "print a one-time enrolment code").add_argument("--device", required=True)
    command("revoke", "revoke a device's token").add_argument("--device", required=True)
    for group, help_text in (("contacts", "crisis-staff contact list"), ("schools", "schools")):
        inner = sub.add_parser(group, help=help_text).add_subparsers(dest="action",
                                                                     required=True)
        command("import", f"replace the {help_text} from a CSV file",
                inner).add_argument("csv", type=Path)
    agreement = sub.add_parser("agreement", help="the cooperation agreement sent to the phones"
                               ).add_subparsers(dest="action", required=True)
    command("import", "check and store agreements from a JSON file; phones get them at the "
            "next sync", agreement).add_argument("json", type=Path)
    command("export", "print the stored agreements (else the signed default) as JSON",
            agreement).add_argument("--municipality", default="")
    export = command("export", "what the SLT coordinator received (newest revisions)")
    export.add_argument("--format", choices=("csv", "json"), default="csv")
    rep = command("report", "the evaluation report from what the phones sent")
    rep.add_argument("--year", required=True, type=int)
    rep.add_argument("--half", type=int, choices=(1, 2))
    rep.add_argument("--format", choices=report.FORMATS, default="pdf")
    rep.add_argument("--out", required=True, type=Path)
    rep.add_argument("--municipality", default="", help="default: the configured one")
    rep.add_argument("--lang", choices=("nb", "en"), default="nb")
    config = command("config", "show or set the backend's settings")
    config.add_argument("--municipality")
    config.add_argument("--recipient", choices=RECIPIENTS)
    config.add_argument("--name")
    config.add_argument("--min-app-version")
    policy = command("legal-basis", "which legal bases other than consent a device may claim")
    policy.add_argument("--device", default="*", help="device name; * for every device")
    policy.add_argument("--allow", default="", help="comma-separated codes; empty: none")
    archive.add_arguments(sub, command)
    audit_chain.add_arguments(sub, command)
    console_cli.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=getattr(args, "log_level", "info").upper(), stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s %(message)s")
    if not read_only(args) and isinstance(args.db, Path):
        args.db.parent.mkdir(parents=True, exist_ok=True)
    failures: tuple[type[Exception], ...] = (admin.AdminError, OSError, UnicodeDecodeError,
                                             *errors())
    try:
        return _run(args)
    except failures as exc:
        print(f"feil / error: {exc}", file=sys.stderr)
        return 2


def read_only(args: argparse.Namespace) -> bool:
    """Commands that only read open the database read-only: a mistyped --db is an error,
    not a new empty database."""
    if args.command in ("export", "report", "archive", "audit"):
        return True
    if args.command == "user":
        return bool(args.action == "list")
    if args.command == "agreement":
        return bool(args.action == "export")
    if args.command == "config":
        return all(getattr(args, key) is None
                   for key in ("municipality", "recipient", "name", "min_app_version"))
    return False


def _run(args: argparse.Namespace) -> int:
    if args.command == "serve":
        return serve(args)
    if args.command == "archive":
        return archive.run(args)
    db = Database(args.db, readonly=read_only(args))
    try:
        if args.command == "user":
            return console_cli.run(db, args)
        if args.command == "audit":
            return audit_chain.run(db.conn)
        if args.command == "enrol":
            code = admin.new_enrolment_code(db, args.device)
            print(f"Engangskode for «{args.device}» (gyldig i 24 timer) / one-time code:")
            print(code)
        elif args.command == "revoke":
            print(f"revoked {admin.revoke(db, args.device)} device(s)")
        elif args.command in ("contacts", "schools"):
            importer = admin.import_contacts if args.command == "contacts" \
                else admin.import_schools
            counts = importer(db, args.csv)
            print(" ".join(f"{k}={v}" for k, v in counts.items()))
        elif args.command == "agreement":
            _agreement(db, args)
        elif args.command == "export":
            admin.export(db, sys.stdout, args.format)
        elif args.command == "report":
            size = report.write_report(db, args.out, report.period_of(args.year, args.half),
                                       args.format, municipality=args.municipality,
                                       lang=args.lang)
            print(f"{args.out} ({size} bytes)")
        elif args.command == "legal-basis":
            allowed = admin.set_legal_basis_policy(db, args.device, args.allow)
            print(f"{args.device}: {', '.join(allowed) or '-'}")
        elif args.command == "config":
            values = admin.configure(db, municipality=args.municipality,
                                     recipient=args.recipient, name=args.name,
                                     min_app_version=args.min_app_version)
            for key, value in values.items():
                print(f"{key}={value}")
    finally:
        db.close()
    return 0


def _agreement(db: Database, args: argparse.Namespace) -> None:
    if args.action == "import":
        counts = agreements.import_agreements(db, args.json)
        print(" ".join(f"{k}={v}" for k, v in counts.items()))
    else:
        agreements.export_agreements(db, sys.stdout, args.municipality)
