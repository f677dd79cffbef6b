"""`python -m diagnostics` is the `diagnostics` command."""

from .cli import main

main(prog_name="diagnostics")
