"""Allows ``python -m wbcr``."""

from wbcr.cli import main

main()
