"""``python -m sync.server user add|list|disable``: console accounts from the command line.

    user add     --db FILE --name NAME --role coordinator|admin   (password from stdin)
    user list    --db FILE
    user disable --db FILE --name NAME

The password is read without echo from a terminal (asked twice), else as the first line of
stdin; it is never an argument (arguments show in the process list and shell history).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from datetime import UTC, datetime

from ..db import Database
from ..dialect import DB_HELP, db_target
from . import users


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    inner = sub.add_parser("user", help="console accounts (SLT coordinator, admin)"
                           ).add_subparsers(dest="action", required=True)
    for name, help_text in (("add", "add an account; the password is read from stdin"),
                            ("list", "list the accounts"),
                            ("disable", "deactivate an account and end its sessions")):
        p = inner.add_parser(name, help=help_text)
        p.add_argument("--db", required=True, type=db_target, help=DB_HELP)
        if name != "list":
            p.add_argument("--name", required=True)
        if name == "add":
            p.add_argument("--role", required=True, choices=users.ROLES)


def _password() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("Passord / password: ")
        if first != getpass.getpass("Gjenta / repeat: "):
            raise users.UserError("passordene er ulike / the passwords differ")
        return first
    return sys.stdin.readline().rstrip("\r\n")


def run(db: Database, args: argparse.Namespace) -> int:
    """Run a ``user`` command; 2 with a message on stderr when it cannot be done."""
    now = datetime.now(UTC)
    try:
        if args.action == "add":
            user = users.add_user(db, args.name, args.role, _password(), now)
            print(f"{user.name} ({user.role}) {user.id}")
        elif args.action == "list":
            for user in users.list_users(db):
                print(f"{user.id} {user.role:<11} {'disabled' if user.disabled else 'active':<8}"
                      f" {user.name}")
        else:
            found = [u for u in users.list_users(db) if u.name == args.name.strip()]
            if not found or not users.disable_user(db, found[0].id, now):
                raise users.UserError("fant ingen aktiv bruker / no such active user")
            print(f"disabled {found[0].id}")
    except users.UserError as exc:
        print(f"feil / error: {exc}", file=sys.stderr)
        return 2
    return 0
