#!/usr/bin/env bash
# Make sure Debian's chromium is installed for the end-to-end web tests (Playwright drives it
# through executable_path; `playwright install` is never used: it downloads its own browser build).
# Installs with apt-get when /usr/bin/chromium is missing and we are root (CI runs as root);
# otherwise says what to do and exits 0, so `make test` still runs everything else.
set -euo pipefail
CHROMIUM=/usr/bin/chromium
if [ -x "$CHROMIUM" ]; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "ensure_browser: $CHROMIUM is missing; install Debian's chromium (sudo apt-get install chromium)" >&2
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure_browser: $CHROMIUM is missing and apt-get is not available" >&2
    exit 0
fi
echo "ensure_browser: installing chromium with apt-get" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium >/dev/null
test -x "$CHROMIUM"
