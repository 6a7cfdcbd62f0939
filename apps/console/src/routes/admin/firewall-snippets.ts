/**
 * Copy-paste settings per firewall product, following docs/firewalls.md (keep the two in
 * step). Each holds this hub's real feed URL, so what an admin pastes is what the hub serves.
 */
export type FirewallProduct =
  'curl' | 'nftables' | 'ipset' | 'panos' | 'fortigate' | 'checkpoint' | 'opnsense';

export const FIREWALL_PRODUCTS: FirewallProduct[] = [
  'nftables',
  'ipset',
  'panos',
  'fortigate',
  'checkpoint',
  'opnsense',
  'curl',
];

/** The aggregated IPv4 feed: fewest blocks, no overlaps (some products refuse overlaps). */
export function feedUrl(origin: string): string {
  return `${origin}/feeds/ipv4.txt?aggregate=true`;
}

export function firewallSnippet(product: FirewallProduct, origin: string, token: string): string {
  const url = feedUrl(origin);
  switch (product) {
    case 'curl':
      return `curl -fsS -u "firewall:${token}" "${url}"`;
    case 'nftables':
      return [
        `# every five minutes (systemd timer or cron); renkei-nft.sh is in contrib/firewall/`,
        `set -e`,
        `RENKEI_TOKEN='${token}'`,
        `curl -fsS -o /run/renkei-v4.txt -u "firewall:$RENKEI_TOKEN" \\`,
        `  "${url}"`,
        `contrib/firewall/renkei-nft.sh ipv4 < /run/renkei-v4.txt > /run/renkei-v4.nft`,
        `nft -f /run/renkei-v4.nft`,
      ].join('\n');
    case 'ipset':
      return [
        `contrib/firewall/renkei-ipset.sh ipv4 < /dev/null | ipset restore`,
        `iptables -I INPUT -m set --match-set renkei-v4 src -j DROP`,
        `iptables -I FORWARD -m set --match-set renkei-v4 src -j DROP`,
        `# every five minutes:`,
        `RENKEI_TOKEN='${token}'`,
        `curl -fsS -o /run/renkei-v4.txt -u "firewall:$RENKEI_TOKEN" \\`,
        `  "${url}" &&`,
        `  contrib/firewall/renkei-ipset.sh ipv4 < /run/renkei-v4.txt | ipset restore`,
      ].join('\n');
    case 'panos':
      return [
        `Objects > External Dynamic Lists > Add`,
        `  Type: IP List`,
        `  Source: ${url}`,
        `  Client Authentication: user "firewall", password ${token}`,
        `  Repeat: Five Minute`,
      ].join('\n');
    case 'fortigate':
      return [
        `config system external-resource`,
        `    edit "renkei-ipv4"`,
        `        set type address`,
        `        set resource "${url}"`,
        `        set username "firewall"`,
        `        set password ${token}`,
        `        set refresh-rate 5`,
        `    next`,
        `end`,
      ].join('\n');
    case 'checkpoint':
      return [
        `New > Network Object > More > Network Feed`,
        `  Feed URL: ${url}`,
        `  Feed format: Flat List`,
        `  Authentication: basic, user "firewall", password ${token}`,
        `  Update interval: 5 minutes`,
      ].join('\n');
    case 'opnsense':
      return [
        `Firewall > Aliases > Add`,
        `  Type: URL Table (IPs)`,
        `  Content: ${url}`,
        `  Authentication: user "firewall", password ${token}`,
        `  Refresh frequency: 1 hour`,
      ].join('\n');
  }
}
