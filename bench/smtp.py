"""A real SMTP server for a benchmark run (aiosmtpd), in a process of its own so that it never competes with
the bench for the interpreter: it accepts every message on 127.0.0.1:<port> and appends one line per
message (its Message-ID and its number of recipients) to a file, which the bench counts.

    python -m bench.smtp --port 8025 --log /tmp/received.tsv
"""

from __future__ import annotations

import argparse
import os
import signal
import threading
from email.parser import BytesHeaderParser
from pathlib import Path


class Counting:
    """aiosmtpd handler: one line per message accepted, written before the 250 reply, so that a message
    the sender was told was accepted is always counted."""

    def __init__(self, log: Path):
        self.log = log.open("a", encoding="utf-8")  # closed with the process

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's hook name
        headers = BytesHeaderParser().parsebytes(envelope.content or b"")
        message_id = (headers.get("Message-ID") or "").strip() or "-"
        self.log.write(f"{message_id}\t{len(envelope.rcpt_tos)}\n")
        self.log.flush()
        return "250 Message accepted"


def received(log: Path) -> dict:
    """What the server has accepted so far: messages, distinct Message-IDs, recipients."""
    try:
        lines = [x.split("\t") for x in log.read_text(encoding="utf-8").splitlines() if x]
    except FileNotFoundError:
        return {"messages": 0, "distinct": 0, "recipients": 0}
    return {
        "messages": len(lines),
        "distinct": len({x[0] for x in lines}),
        "recipients": sum(int(x[1]) for x in lines if len(x) > 1),
    }


def main(argv=None) -> None:
    from aiosmtpd.controller import Controller

    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--log", type=Path, required=True)
    args = p.parse_args(argv)
    controller = Controller(Counting(args.log), hostname="127.0.0.1", port=args.port)
    controller.start()
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    signal.signal(signal.SIGINT, lambda *_: stopped.set())
    while not stopped.wait(0.5):  # a timed wait: the signal handlers run in between
        pass
    # Not controller.stop(): it can wait for ever on the server's thread. Every accepted message is
    # already written and flushed, so the process simply ends.
    os._exit(0)


if __name__ == "__main__":
    main()
