#!/bin/sh
# Install or upgrade the school diagnostics app from this folder, without internet
# (macOS and Linux). The work is done by install.py with the first Python 3.11 or newer found.
cd "$(dirname "$0")" || exit 1
for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
        "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
        exec "$candidate" install.py "$@"
    fi
done
echo "Python 3.11 немесе жаңарағы табылмады. Алдымен Python-ды орнатыңыз (python.org), содан кейін осы файлды қайта іске қосыңыз."
echo "Не найден Python 3.11 или новее. Сначала установите Python (python.org), затем снова запустите этот файл."
exit 1
