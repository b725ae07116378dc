"""``python -m itaxl``: the same as the ``itaxl`` command."""

from .cli import main

main()
