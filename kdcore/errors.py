"""Exceptions whose message is written for a learner: pages show them with st.error, the CLI
prints them as one line and exits 2. Anything else is a bug."""


class KDLabError(Exception):
    """Base class: the message says what went wrong and what to do next."""


class ConfigError(KDLabError, ValueError):
    """A setting is out of range or unknown (bad slider value, bad CLI option, bad method name)."""


class DataUnavailable(KDLabError):
    """A dataset's files are missing or unreadable; the message names the files and where to put them."""
