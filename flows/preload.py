"""Imported by the fork server before it forks any worker (orgwork.flows.parallel): dictionaries
and rules are loaded there once, and every worker forked from it starts with them."""

import signal

# Ctrl-C reaches the terminal's whole job: the fork server leaves it to the command (it
# ignores it itself once loaded; while loading it printed a traceback), as its workers do.
signal.signal(signal.SIGINT, signal.SIG_IGN)

import atexit  # noqa: E402
import contextlib  # noqa: E402
import os  # noqa: E402

from orgwork.batch import warm_up  # noqa: E402
from orgwork.flows.gcfreeze import loading_phase  # noqa: E402
from orgwork.flows.parallel import FORK_SERVER_FLAG, in_fork_server  # noqa: E402

if os.environ.get(FORK_SERVER_FLAG):
    in_fork_server()  # the fork server (and so its workers) ends with the command

# A failure here would only stop the fork server; each worker's own warm_up raises it again
# where the run reports it. Workers forked from here inherit what it loaded frozen.
with contextlib.suppress(Exception), loading_phase():
    warm_up()

if os.environ.get(FORK_SERVER_FLAG):
    # The fork server ends with the command; freeing its dictionaries one object at a time
    # took 0.5 s while it still held the command's output open. Workers forked from it end
    # through os._exit already and never run this.
    atexit.register(os._exit, 0)
