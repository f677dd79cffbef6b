#!/bin/sh
# macOS: a double-click on this file in Finder runs install.sh in a Terminal window.
cd "$(dirname "$0")" || exit 1
sh ./install.sh "$@"
