#!/bin/sh
# `labo`: the labo command as the service runs it — as the labo user, with /etc/labo/labo.env,
# in /opt/labo. Leading NAME=value arguments override the file (a scratch database for a restore
# drill); `labo serve` starts the production server in the foreground.
#   install -m 0755 deploy/labo.sh /usr/local/bin/labo
#   labo create-user --email … --name … --admin
#   labo DATA_DIR=/var/tmp/labo-drill SMTP_URL= PORT=3999 serve
set -eu
user=${LABO_USER:-labo}
if [ "$(id -un)" != "$user" ]; then
  # runuser needs root; keep LABO_* settings across the switch.
  exec runuser -u "$user" -- env LABO_USER="$user" LABO_ENV="${LABO_ENV:-}" LABO_DIR="${LABO_DIR:-}" "$0" "$@"
fi
set -a
. "${LABO_ENV:-/etc/labo/labo.env}"
set +a
while [ $# -gt 0 ]; do
  case $1 in
    [A-Za-z_]*=*) export "$1"; shift ;;
    *) break ;;
  esac
done
cd "${LABO_DIR:-/opt/labo}"
export npm_config_cache="${TMPDIR:-/tmp}/labo-npm-$(id -u)" npm_config_update_notifier=false
if [ "${1:-}" = serve ]; then
  exec npm run --silent serve
fi
exec npm run --silent labo -- "$@"
