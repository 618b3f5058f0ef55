"""``python -m strife`` runs the command line."""

from strife.cli import main

main()
