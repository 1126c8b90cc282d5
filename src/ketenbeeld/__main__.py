"""``python -m ketenbeeld`` runs the command line."""

from ketenbeeld.cli import main

main()
