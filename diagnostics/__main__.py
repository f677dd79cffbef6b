"""`python -m diagnostics` is the `diagnostics` command."""

from diagnostics.cli import main

main(prog_name="diagnostics")
