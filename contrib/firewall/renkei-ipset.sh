#!/bin/sh
# Turns a renkei blocklist in the .txt format (one address or CIDR block per line, nothing else)
# read on stdin into an `ipset restore` script that fills a fresh hash:net set and swaps it for
# the live one, so iptables rules matching the set never see it half-loaded or empty:
#
#   curl -fsS -o /run/renkei-v4.txt -u "firewall:$RENKEI_TOKEN" \
#     "https://hub.example.org/feeds/ipv4.txt?aggregate=true" &&
#   renkei-ipset.sh ipv4 < /run/renkei-v4.txt | ipset restore
#
# Arguments: ipv4 or ipv6, then optionally the set's name (default renkei-v4 or renkei-v6). The
# sets hold up to 1,048,576 entries (maxelem; hash sets grow as filled, so the limit costs
# nothing until used, and must stay the same from run to run for `create -exist`). hash:net
# cannot hold a /0; such a line stops the script before anything is written, like any line that
# is not an address of the family: a proxy's error page must never become an empty blocklist.
# See docs/firewalls.md.
set -eu
family=${1:-}
case $family in
  ipv4) inet=inet pattern='^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+(/([1-9]|[12][0-9]|3[0-2]))?$' ;;
  ipv6) inet=inet6 pattern='^[0-9a-f:]*:[0-9a-f:]*(/([1-9]|[1-9][0-9]|1[01][0-9]|12[0-8]))?$' ;;
  *) echo 'usage: renkei-ipset.sh ipv4|ipv6 [set] < feed.txt' >&2; exit 2 ;;
esac
set=${2:-renkei-v${family#ipv}}
feed=$(mktemp)
trap 'rm -f "$feed"' EXIT
if ! awk -v pattern="$pattern" '
  $0 !~ pattern { printf "line %d is not an address ipset can hold: %s\n", NR, substr($0, 1, 80) > "/dev/stderr"; exit 1 }
  { print }
' > "$feed"; then exit 1; fi
max=1048576
count=$(wc -l < "$feed")
if [ "$count" -gt "$max" ]; then
  echo "the feed has $count entries, more than the set's $max: use parts (docs/firewalls.md)" >&2
  exit 1
fi
echo "create $set hash:net family $inet maxelem $max -exist"
echo "create $set-new hash:net family $inet maxelem $max -exist"
echo "flush $set-new"
sed "s/^/add $set-new /" "$feed"
echo "swap $set-new $set"
echo "destroy $set-new"
