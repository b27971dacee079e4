"""English (switchable in Settings): PIN, first run and unlock."""

STRINGS = {
    "draft.restored": "The form you were filling in is filled in again.",
    "pin.setup_title": "New logbook",
    "pin.setup_intro": "Choose a PIN of at least 6 digits, or a passphrase of at least 8 "
                       "characters. The logbook is encrypted with it. It cannot be recovered "
                       "if you forget it.",
    "pin.choose": "Choose PIN",
    "pin.repeat": "Repeat PIN",
    "pin.create": "Create logbook",
    "pin.unlock_title": "Unlock",
    "pin.label": "PIN",
    "pin.show": "Show or hide the PIN",
    "pin.use_passphrase": "Use a passphrase (letters)",
    "pin.unlock": "Unlock",
    "pin.working": "Opening the logbook …",
    "pin.empty": "Enter your PIN.",
    "pin.mismatch": "The PINs do not match.",
    "pin.locked": "The logbook is locked.",
    "pin.locked_idle": "Locked after inactivity.",
    "pin.locked_hidden": "Locked because the app was hidden.",
    "pin.wrong_attempts": "Wrong PIN. {count} attempts left.",
    "pin.wrong_attempts.one": "Wrong PIN. 1 attempt left.",
    "pin.wrong_wait": "Wrong PIN. Wait {seconds} seconds.",
    "pin.wrong_wait.one": "Wrong PIN. Wait {seconds} second.",
    "pin.locked_out": "Too many wrong attempts. Wait {seconds} seconds.",
    "pin.locked_out.one": "Too many wrong attempts. Wait {seconds} second.",
    "pin.rejected": "This PIN cannot be used.",
    "pin.rejected.too_short": "Too short: use at least 6 digits or a passphrase of 8 characters.",
    "pin.rejected.not_digits_or_passphrase": "Use digits only or a passphrase.",
    "pin.rejected.trivial": "Too easy to guess. Choose another PIN.",
    "pin.rejected.trivial.same": "Too easy to guess: it repeats one character. Choose another.",
    "pin.rejected.trivial.run": "Too easy to guess: the PIN is a run of digits. Choose another.",
    "pin.rejected.trivial.repeat":
        "Too easy to guess: the PIN repeats a short pattern. Choose another.",
    "pin.rejected.trivial.pairs":
        "Too easy to guess: the PIN is made of doubled digits. Choose another.",
    "pin.rejected.trivial.blocks":
        "Too easy to guess: the PIN is two blocks of one digit. Choose another.",
    "pin.rejected.trivial.mirror":
        "Too easy to guess: the PIN reads the same both ways. Choose another.",
    "pin.rejected.trivial.nearly":
        "Too easy to guess: the PIN is nearly one digit repeated. Choose another.",
    "pin.rejected.trivial.keypad":
        "Too easy to guess: the PIN is a keypad pattern. Choose another.",
    "pin.rejected.trivial.date": "Too easy to guess: the PIN looks like a date. Choose another.",
    "pin.rejected.trivial.common": "Too easy to guess: it is a common password. Choose another.",
    "pin.rejected.trivial.keyboard":
        "Too easy to guess: it is a row of the keyboard. Choose another.",
    "pin.rejected.trivial.alphabet": "Too easy to guess: it is a run of letters. Choose another.",
    "pin.damaged": "The logbook is damaged and was left untouched. Contact IT.",
    "pin.rolled_back": "The storage is shorter or older than last time. The logbook was "
        "left untouched. Contact IT.",
    "pin.keystore_unavailable": "Cannot unlock: the phone's key store does not answer. "
        "Try again, or restart the phone. Nothing was deleted.",
    "pin.no_logbook": "No logbook was found on this device.",
    "pin.exists": "A logbook already exists here.",
    "pin.busy": "The logbook is open in another window.",
    "pin.failed": "The logbook could not be opened. Try again.",
}
