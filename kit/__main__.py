"""`python -m kit build|lock|check`: see kit/build.py."""

from .build import main

main()
