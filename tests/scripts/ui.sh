#!/bin/sh
# ui.sh -- the moderator console in headless Chromium (tests/ui/test_ui.py).
# Needs chromium, chromium-driver and python3-selenium (make deps); skips
# (77) without them.  The Python that has selenium may be Debian's own
# rather than the first python3 on PATH.
cd "$(dirname "$0")/../.." || exit 70
for py in python3 /usr/bin/python3; do
    if command -v "$py" > /dev/null && "$py" -c 'import selenium' 2> /dev/null; then
        exec "$py" tests/ui/test_ui.py
    fi
done
echo "skip: no python3 with selenium (make deps installs python3-selenium)"
exit 77
