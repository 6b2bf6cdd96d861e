"""`kdlab class add-learners roster.csv`: classroom accounts with one-time join codes, and
`kdlab class list`: who is on the roster."""
from pathlib import Path

from ..errors import ConfigError
from ._common import add_json, emit

MAX_ROSTER_BYTES = 1 << 20


def add_learners(args) -> int:
    from ..drills.classroom import Roster, parse_roster

    path = Path(args.roster)
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_ROSTER_BYTES + 1)
        text = data.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError("unreadable_file", what="roster", path=str(path), reason=str(err)) from err
    if len(data) > MAX_ROSTER_BYTES:
        raise ConfigError("unreadable_file", what="roster", path=str(path), reason=f"larger than {MAX_ROSTER_BYTES:,} bytes")
    codes = Roster().add(parse_roster(text))
    emit({"join_codes": codes}, args.json,
         "username,join_code\n" + "\n".join(f"{name},{code}" for name, code in codes.items()) +
         "\n(each code works once: the learner joins with it and chooses a password)")
    return 0


def list_accounts(args) -> int:
    from ..drills.classroom import Roster

    accounts = [{"username": a.username, "name": a.name, "role": a.role} for a in Roster().learners()]
    emit(accounts, args.json, "\n".join(f"{a['username']}\t{a['role']}\t{a['name']}" for a in accounts) or "no accounts yet")
    return 0


def register(subparsers) -> None:
    parser = subparsers.add_parser("class", help="classroom accounts: add learners from a roster, list them")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = actions.add_parser("add-learners", help="create accounts from a CSV (username,name[,role[,email]]) and print "
                                                  "one-time join codes")
    add.add_argument("roster", help="CSV file: username,name[,role[,email]] per line (role: learner or instructor; "
                                    "email: the school account that signs in with OpenID Connect)")
    add_json(add)
    add.set_defaults(run=add_learners)
    listing = actions.add_parser("list", help="the accounts on this server")
    add_json(listing)
    listing.set_defaults(run=list_accounts)
