#!/usr/bin/env bash
# Transmission (Debian's transmission-daemon 3.00) for the discover corpus.
#
#   PORT=19091 STATE_DIR=/tmp/tr corpus/transmission/serve.sh
#
# (a) installs transmission-daemon (and transmission-cli, whose transmission-create made the flows'
#     .torrent fixture) with apt when missing; (b) writes a fresh settings.json into $STATE_DIR;
# (c) execs the daemon in the foreground, RPC and web UI on 127.0.0.1:$PORT only, until SIGTERM.
#
# The RPC server is reached at http://127.0.0.1:$PORT/transmission/web/ (UI) and
# /transmission/rpc (JSON-RPC, X-Transmission-Session-Id 409 handshake).
#
# Authentication: rpc-authentication-required is ON (HTTP Basic, realm "Transmission", for the UI and
# the RPC alike), user $TRANSMISSION_USER (admin), password $TRANSMISSION_PASSWORD (corpus-secret-1,
# what app.env gives the flows). The 3.00 web UI has no login form; flows/transmission/01-login opens
# the UI once with the credentials in the URL, which Chromium then reuses without a prompt.
# TRANSMISSION_RPC_AUTH=0 turns auth off.
#
# Nothing phones home: DHT, PEX, LPD, uTP, UPnP/NAT-PMP port forwarding, the blocklist and peer
# listening on public addresses are off; the fixture's only tracker is http://127.0.0.1:9/announce
# (nothing listens there). The daemon's own outgoing HTTP (port-test, blocklist-update) is pointed at a
# dead loopback proxy, below.
set -euo pipefail

PORT="${PORT:-19091}"
PEER_PORT="${PEER_PORT:-$((PORT + 1000))}"
CORPUS_HOME="${CORPUS_HOME:-$HOME/.cache/discover-corpus}/transmission"
DEB_VERSION="${TRANSMISSION_DEB_VERSION:-3.00-2.1+deb12u1}"
TRANSMISSION_USER="${TRANSMISSION_USER:-admin}"
TRANSMISSION_PASSWORD="${TRANSMISSION_PASSWORD:-corpus-secret-1}"
TRANSMISSION_RPC_AUTH="${TRANSMISSION_RPC_AUTH:-1}"

# (a) install when missing (idempotent)
if ! command -v transmission-daemon >/dev/null 2>&1 || ! command -v transmission-create >/dev/null 2>&1; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    # Pinned to the bookworm build the corpus was recorded with; set TRANSMISSION_DEB_VERSION= (empty)
    # to take whatever the archive has.
    if [ -n "$DEB_VERSION" ]; then
        $SUDO apt-get install -y --no-install-recommends \
            "transmission-daemon=$DEB_VERSION" "transmission-cli=$DEB_VERSION" "transmission-common=$DEB_VERSION"
    else
        $SUDO apt-get install -y --no-install-recommends transmission-daemon transmission-cli
    fi
    # On a machine with systemd, the package starts its own system daemon on 9091; this script does not
    # use it (our default port is 19091) but says so.
    if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet transmission-daemon 2>/dev/null; then
        echo "serve.sh: note: the system transmission-daemon service is running (port 9091); it is not this one" >&2
    fi
fi
mkdir -p "$CORPUS_HOME"

# (b) fresh state
STATE_DIR="${STATE_DIR:-$(mktemp -d -t transmission-state.XXXXXX)}"
mkdir -p "$STATE_DIR/downloads" "$STATE_DIR/incomplete"
rm -f "$STATE_DIR/settings.json" "$STATE_DIR/stats.json" "$STATE_DIR/dht.dat" "$STATE_DIR/bandwidth-groups.json"
rm -rf "$STATE_DIR/torrents" "$STATE_DIR/resume" "$STATE_DIR/blocklists"

auth_json=false
[ "$TRANSMISSION_RPC_AUTH" = "1" ] && auth_json=true

# The password is stored in clear here; the daemon replaces it with its salted SHA-1 on start.
cat >"$STATE_DIR/settings.json" <<EOF
{
    "rpc-enabled": true,
    "rpc-bind-address": "127.0.0.1",
    "rpc-port": $PORT,
    "rpc-url": "/transmission/",
    "rpc-whitelist-enabled": true,
    "rpc-whitelist": "127.0.0.1,::1",
    "rpc-host-whitelist-enabled": true,
    "rpc-host-whitelist": "localhost,127.0.0.1",
    "rpc-authentication-required": $auth_json,
    "rpc-username": "$TRANSMISSION_USER",
    "rpc-password": "$TRANSMISSION_PASSWORD",

    "bind-address-ipv4": "127.0.0.1",
    "bind-address-ipv6": "::1",
    "peer-port": $PEER_PORT,
    "peer-port-random-on-start": false,
    "port-forwarding-enabled": false,
    "dht-enabled": false,
    "pex-enabled": false,
    "lpd-enabled": false,
    "utp-enabled": false,
    "blocklist-enabled": false,
    "blocklist-url": "http://127.0.0.1:9/blocklist",
    "peer-limit-global": 10,
    "peer-limit-per-torrent": 5,

    "download-dir": "$STATE_DIR/downloads",
    "incomplete-dir": "$STATE_DIR/incomplete",
    "incomplete-dir-enabled": false,
    "watch-dir-enabled": false,
    "start-added-torrents": true,
    "script-torrent-done-enabled": false,
    "message-level": 1,
    "umask": 18
}
EOF

echo "serve.sh: transmission-daemon on http://127.0.0.1:$PORT/transmission/web/ (state in $STATE_DIR)" >&2

# Every outgoing HTTP(S) request the daemon makes goes through libcurl, which honours these: send it
# all to a dead loopback proxy (nothing is resolved or contacted outside), except loopback itself.
# This covers "port-test" (https://portcheck.transmissionbt.com/PORT, called whenever the web UI opens
# its preferences dialog) and "blocklist-update". bind-address-ipv4 above also makes libcurl bind its
# sockets to 127.0.0.1.
for v in http_proxy https_proxy all_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY; do export "$v=http://127.0.0.1:9"; done
export no_proxy="localhost,127.0.0.1,::1" NO_PROXY="localhost,127.0.0.1,::1"

# (c) foreground; SIGTERM makes the daemon save its state and exit
exec transmission-daemon --foreground --config-dir "$STATE_DIR" \
    --port "$PORT" --rpc-bind-address 127.0.0.1 --allowed "127.0.0.1,::1" \
    --no-portmap --no-dht --no-lpd --no-utp --no-blocklist --no-watch-dir --no-incomplete-dir \
    --download-dir "$STATE_DIR/downloads" --peerport "$PEER_PORT" --log-error
