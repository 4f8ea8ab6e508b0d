"""UsageError: a bad command line, reported as one line on stderr with exit code 2."""


class UsageError(Exception):
    pass
