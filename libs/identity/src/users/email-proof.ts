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
 * language yet), and which organisation registered the address: two organisations may claim one
 * unproven address (refusing the second would tell it the first has), and the person must be
 * able to tell the claims apart and confirm only their own organisation's (attack session 5).
 * The claiming organisation names itself to the address it claims; nothing else is said.
 */
export function proofMail(
  email: string,
  organisation: string,
  link: string,
): { to: string; subject: string; text: string; headers: Record<string, string> } {
  const hours = EMAIL_PROOF_TTL_MS / 3600_000;
  // One line of plain text: a name is the hub admin's input, never a header or a second line.
  const name = organisation.replace(/[\r\n\t]+/g, ' ').trim();
  return {
    to: email,
    // Mail filters (and the tests' SMTP server) tell it from alerts.
    headers: { 'X-Renkei-Email-Proof': 'true' },
    subject: 'renkei: メールアドレスの確認 / confirm your e-mail address',
    text: [
      `renkei（インシデント・指標共有ハブ）で「${name}」が、このアドレスをその組織のアカウントとして登録しました。`,
      `あなたが「${name}」の一員である場合に限り、${hours} 時間以内に次のリンクを開いて確認してください:`,
      '',
      link,
      '',
      'お心当たりがない場合や、所属する組織ではない場合は、このメールを無視してください。アドレスは確認されず、',
      'このアドレスに TLP:RED の情報が届くこともありません。',
      '',
      '---',
      '',
      `On renkei (an incident and indicator sharing hub), "${name}" registered this address for an account of that organisation.`,
      `Only if you belong to "${name}", confirm it by opening this link within ${hours} hours:`,
      '',
      link,
      '',
      'If you did not expect this, or you are not with that organisation, ignore this mail: the',
      'address stays unconfirmed, and nothing marked TLP:RED is sent to it.',
      '',
    ].join('\n'),
  };
}
