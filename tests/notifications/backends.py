"""E-mail backends for the tests: one that always fails, and (for the live worker) a file backend that
stops in the middle of a send until the test kills the worker."""

import os
import time
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.filebased import EmailBackend as FileBackend


class FailingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("mail server refused the connection")


class PausingFileBackend(FileBackend):
    """Writes the message like the file backend, then (PAUSE_AFTER_SEND set) waits as if the mail server
    never acknowledged: the test kills the worker there, in the middle of the task. With PAUSE_BEFORE_SEND
    it waits before writing."""

    def send_messages(self, email_messages):
        marker = os.environ.get("PAUSE_MARKER")
        if os.environ.get("PAUSE_BEFORE_SEND") and marker:
            Path(marker).write_text("before")
            time.sleep(600)
        sent = super().send_messages(email_messages)
        if os.environ.get("PAUSE_AFTER_SEND") and marker:
            Path(marker).write_text("after")
            time.sleep(600)
        return sent


class CountingBackend(BaseEmailBackend):
    """The locmem outbox, counting the connections opened to the "server" (class-wide), and refusing
    the recipients listed in REFUSED as a server refuses an address."""

    opened = 0
    REFUSED: set[str] = set()

    def open(self):
        type(self).opened += 1
        return True

    def send_messages(self, email_messages):
        from django.core import mail

        for message in email_messages:
            if set(message.to) & self.REFUSED:
                raise ConnectionRefusedError(f"recipient refused: {message.to[0]}")
            mail.outbox.append(message)
        return len(email_messages)
