/**
 * Whether an address lies in one of an organisation's registered domains (or a subdomain of
 * one): then the organisation, which the hub admin registered with those domains, vouches for
 * it and no link is needed (ADR 0016).
 */
export function inDomains(email: string, domains: readonly string[]): boolean {
  const at = email.lastIndexOf('@');
  if (at < 1) return false;
  const host = email
    .slice(at + 1)
    .toLowerCase()
    .replace(/\.$/, '');
  return domains.some((d) => host === d || host.endsWith(`.${d}`));
}

/** Links mailed to one address (over all its accounts) in any 24 hours, at most. */
export const EMAIL_PROOFS_PER_DAY = 3;

/** How long a one-time e-mail link stays redeemable. */
export const EMAIL_PROOF_TTL_MS = 72 * 3600_000;

/**
 * The proof mail: the link and what it does, in Japanese and English (the account has no
 * language yet). Nothing about the organisation or the account beyond the address itself: the
 * mail goes to an address nobody has proven yet.
 */
export function proofMail(
  email: string,
  link: string,
): { to: string; subject: string; text: string; headers: Record<string, string> } {
  const hours = EMAIL_PROOF_TTL_MS / 3600_000;
  return {
    to: email,
    // Mail filters (and the tests' SMTP server) tell it from alerts.
    headers: { 'X-Renkei-Email-Proof': 'true' },
    subject: 'renkei: メールアドレスの確認 / confirm your e-mail address',
    text: [
      'renkei（インシデント・指標共有ハブ）のアカウントにこのアドレスが登録されました。',
      `このアドレスを確認するには、${hours} 時間以内に次のリンクを開いてください:`,
      '',
      link,
      '',
      'お心当たりがない場合は、このメールを無視してください。アドレスは確認されず、',
      'このアドレスに TLP:RED の情報が届くこともありません。',
      '',
      '---',
      '',
      'This address was registered for an account on renkei (an incident and indicator sharing hub).',
      `To confirm it, open this link within ${hours} hours:`,
      '',
      link,
      '',
      'If you did not expect this, ignore this mail: the address stays unconfirmed, and nothing',
      'marked TLP:RED is sent to it.',
      '',
    ].join('\n'),
  };
}
