#!/bin/sh
# Turns a renkei blocklist in the .txt format (one address or CIDR block per line, nothing else)
# read on stdin into an nftables script that replaces the contents of one set in a single
# transaction, so the firewall never sees a half-loaded or empty set:
#
#   curl -fsS -o /run/renkei-v4.txt -u "firewall:$RENKEI_TOKEN" \
#     "https://hub.example.org/feeds/ipv4.txt?aggregate=true" &&
#   renkei-nft.sh ipv4 < /run/renkei-v4.txt > /run/renkei-v4.nft &&
#   nft -f /run/renkei-v4.nft
#
# Arguments: ipv4 or ipv6, then optionally the table's family, the table and the set (default
# inet renkei blocklist_v4 or blocklist_v6). The set has `flags interval` (it holds ranges) and
# `auto-merge` (a feed without aggregate=true may list a block and an address inside it, which an
# interval set otherwise refuses as conflicting). A line that is not an address of the family
# stops the script with an error before anything is loaded: a proxy's error page must never
# become an empty blocklist. See docs/firewalls.md.
set -eu
family=${1:-}
case $family in
  ipv4) type=ipv4_addr pattern='^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+(/[0-9]+)?$' ;;
  ipv6) type=ipv6_addr pattern='^[0-9a-f:]*:[0-9a-f:]*(/[0-9]+)?$' ;;
  *) echo 'usage: renkei-nft.sh ipv4|ipv6 [table-family table set] < feed.txt' >&2; exit 2 ;;
esac
tfamily=${2:-inet}
table=${3:-renkei}
set=${4:-blocklist_v${family#ipv}}
feed=$(mktemp)
trap 'rm -f "$feed"' EXIT
# Checked in full before a line is written, so a bad feed produces no script at all.
if ! awk -v pattern="$pattern" '
  $0 !~ pattern { printf "line %d is not an address: %s\n", NR, substr($0, 1, 80) > "/dev/stderr"; exit 1 }
  { print }
' > "$feed"; then exit 1; fi
printf 'table %s %s {\n\tset %s {\n\t\ttype %s\n\t\tflags interval\n\t\tauto-merge\n\t}\n}\n' \
  "$tfamily" "$table" "$set" "$type"
printf 'flush set %s %s %s\n' "$tfamily" "$table" "$set"
# nft refuses an empty element list: an empty feed leaves the set empty.
awk -v head="add element $tfamily $table $set {" '
  { if (n++ == 0) printf "%s\n\t%s", head, $0; else printf ",\n\t%s", $0 }
  END { if (n) print "\n}" }
' "$feed"
