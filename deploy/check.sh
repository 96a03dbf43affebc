#!/usr/bin/env bash
# Checks the deployment files, as `make test` does: the systemd units with
# `systemd-analyze verify`, the nginx site with `nginx -t`. Both programs come from Debian when
# missing. Nothing is installed into /etc: the units are verified where they lie (with the
# paths they name stood in by a scratch root), and nginx reads a scratch configuration that
# includes the site with a throwaway self-signed certificate.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

missing=()
command -v systemd-analyze >/dev/null 2>&1 || missing+=(systemd)
command -v nginx >/dev/null 2>&1 || missing+=(nginx-light)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
if ((${#missing[@]})); then
    echo "Installing Debian's ${missing[*]} to check deploy/"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

# systemd-analyze verify checks each unit's syntax and that the programs it starts exist; under
# --root those are looked for in the scratch root, where empty executables stand in for them.
for unit in "$here"/*.service; do
    grep -ohE '^Exec[A-Za-z]+=[^ ]+' "$unit" | cut -d= -f2 | sed 's/^[-@+!:]*//' | while read -r program; do
        mkdir -p "$scratch/root$(dirname "$program")"
        printf '#!/bin/sh\n' >"$scratch/root$program"
        chmod +x "$scratch/root$program"
    done
done
mkdir -p "$scratch/root/etc/systemd/system" "$scratch/root/usr/lib/systemd"
# The system's own units (the targets ours order after), and ours.
cp -r /usr/lib/systemd/system "$scratch/root/usr/lib/systemd/"
cp "$here"/*.service "$scratch/root/etc/systemd/system/"
out="$(SYSTEMD_LOG_LEVEL=warning systemd-analyze verify --root="$scratch/root" --man=no \
    "$scratch"/root/etc/systemd/system/*.service 2>&1 || true)"
# Only what is about our units counts (an empty root lacks the targets they order after).
problems="$(grep -E 'portal-(web|worker|scheduler)\.service' <<<"$out" || true)"
if [[ -n "$problems" ]]; then
    echo "$problems" >&2
    echo "systemd-analyze verify found problems in deploy/*.service" >&2
    exit 1
fi
echo "deploy: systemd units verified ($(ls "$here"/*.service | wc -l) units)"

# nginx -t with a prefix and configuration of its own: no root paths, no running server.
mkdir -p "$scratch/nginx/logs" "$scratch/nginx/ssl"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=faellesskab.fredericia.dk" \
    -keyout "$scratch/nginx/ssl/privkey.pem" -out "$scratch/nginx/ssl/fullchain.pem" 2>/dev/null
sed -e "s#/etc/ssl/portal/#$scratch/nginx/ssl/#" "$here/nginx-portal.conf" >"$scratch/nginx/site.conf"
# Unprivileged ports, so the check needs no root either.
sed -i -e 's/listen 80;/listen 8080;/; s/listen \[::\]:80;/listen [::]:8080;/' \
    -e 's/listen 443 ssl/listen 8443 ssl/; s/listen \[::\]:443 ssl/listen [::]:8443 ssl/' \
    "$scratch/nginx/site.conf"
cat >"$scratch/nginx/nginx.conf" <<CONF
pid $scratch/nginx/nginx.pid;
error_log $scratch/nginx/logs/error.log;
events {}
http {
    access_log off;
    client_body_temp_path $scratch/nginx/body;
    proxy_temp_path $scratch/nginx/proxy;
    fastcgi_temp_path $scratch/nginx/fastcgi;
    uwsgi_temp_path $scratch/nginx/uwsgi;
    scgi_temp_path $scratch/nginx/scgi;
    include $scratch/nginx/site.conf;
}
CONF
nginx -t -q -p "$scratch/nginx" -c "$scratch/nginx/nginx.conf" -g 'error_log stderr;'
# The headers the portal's settings read must be the ones nginx sets.
grep -q 'proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;' "$here/nginx-portal.conf"
grep -q 'proxy_set_header X-Forwarded-Proto https;' "$here/nginx-portal.conf"
echo "deploy: nginx site checked"
