"""The command's exit codes (DESIGN.md): the only place errors become numbers."""

from enum import IntEnum


class ExitCode(IntEnum):
    DONE = 0  #: finished; per-file problems are in the output and the summary
    MATCHED = 1  #: something matched and --fail-on-match was given
    USAGE = 2  #: the command line is wrong
    FAILED = 3  #: nothing could be done (unreadable list, no database...)
