#!/usr/bin/env bash
# Installs the system packages the tests need (Debian's Chromium, PostgreSQL, LibreOffice
# Writer, which opens the DOCX exports, and nginx, which the proxy tests put in front) when missing.
# As root on Debian it installs them itself; elsewhere it prints the one command to run.
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v libreoffice >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
[ -x /usr/sbin/nginx ] || missing+=(nginx)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

cmd="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installation des paquets système manquants / installing missing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086
  $cmd >/dev/null
  echo "Paquets installés / packages installed: ${missing[*]}"
else
  echo "Paquets système manquants / missing system packages: ${missing[*]}" >&2
  echo "Lancez / run: sudo $cmd" >&2
  exit 1
fi
