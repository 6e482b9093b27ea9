#!/usr/bin/env bash
# The browser test of the HTML report (tests/test_report.py) drives Debian's chromium through
# playwright's Python package; it needs the browser and a CJK font, nothing downloaded by
# playwright itself (no `playwright install`). Run as root before the tests.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends chromium fonts-noto-cjk
test -x /usr/bin/chromium
