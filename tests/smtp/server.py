#!/usr/bin/env python3
"""A real SMTP server for the tests (aiosmtpd): every message it accepts is written to a folder
as `<n>.eml` (the bytes received) and `<n>.json` (envelope, decoded headers, text and HTML parts),
so a test can read what arrived. Usage: server.py PORT DIR. Prints "ready" once listening."""
import json
import pathlib
import sys
import threading
import time
from email import policy
from email.parser import BytesParser

from aiosmtpd.controller import Controller


class Keep:
    def __init__(self, folder: pathlib.Path):
        self.folder = folder
        self.lock = threading.Lock()
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        msg = BytesParser(policy=policy.default).parsebytes(raw)
        text = msg.get_body(preferencelist=("plain",))
        html = msg.get_body(preferencelist=("html",))
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "headers": {k: str(v) for k, v in msg.items()},
            "subject": str(msg["Subject"]),
            "text": text.get_content() if text else None,
            "html": html.get_content() if html else None,
        }
        with self.lock:
            self.count += 1
            n = f"{time.time_ns()}-{self.count}"
        # Written aside and renamed: a reader never sees half a message.
        eml = self.folder / f"{n}.eml.tmp"
        eml.write_bytes(raw)
        eml.rename(self.folder / f"{n}.eml")
        tmp = self.folder / f"{n}.json.tmp"
        tmp.write_text(json.dumps(record, ensure_ascii=False))
        tmp.rename(self.folder / f"{n}.json")
        return "250 Message accepted for delivery"


def main():
    port, folder = int(sys.argv[1]), pathlib.Path(sys.argv[2])
    folder.mkdir(parents=True, exist_ok=True)
    controller = Controller(Keep(folder), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    try:
        sys.stdin.read()  # until the test closes our stdin (or kills us)
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
