import { domainToASCII } from 'node:url';
import { Transform } from 'class-transformer';
import { isEmail, ValidateBy, ValidationOptions } from 'class-validator';

/**
 * The one spelling of a mailbox the hub stores and compares: trimmed, the local part in lower
 * case, the domain in its ASCII (punycode) form. Null for what the hub does not take as an
 * address, including a quoted local part: `"soc"@example.org` is delivered to
 * `soc@example.org`, so accepting it would give one mailbox two spellings — two accounts, two
 * daily proof-mail allowances, a proven address proven again (attack session 5). Likewise
 * `例え.example` and `xn--r8jz45g.example` are one domain.
 */
export function canonicalMailbox(raw: string): string | null {
  const text = raw.trim();
  const at = text.lastIndexOf('@');
  if (at < 1 || at === text.length - 1) return null;
  const local = text.slice(0, at);
  if (local.includes('"') || local.includes('\\')) return null;
  const domain = domainToASCII(text.slice(at + 1));
  if (!domain) return null;
  const out = `${local.toLowerCase()}@${domain}`;
  return isEmail(out) ? out : null;
}

/** The key an address given to a lookup (login, recipients) is compared by: canonical if it can be. */
export function mailboxKey(raw: string): string {
  return canonicalMailbox(raw) ?? raw.trim().toLowerCase();
}

/**
 * An input field holding an e-mail address (or, with `each`, a list of them): made canonical at
 * the edge (`canonicalMailbox`), refused with a field error when it is not an address the hub
 * takes. Every address a request brings passes here, so the services see one spelling.
 */
export function IsMailbox(options?: ValidationOptions): PropertyDecorator {
  const canon = (v: unknown) => (typeof v === 'string' ? (canonicalMailbox(v) ?? v) : v);
  return (target, key) => {
    Transform(({ value }) =>
      options?.each && Array.isArray(value) ? value.map(canon) : canon(value),
    )(target, key);
    ValidateBy(
      {
        name: 'isMailbox',
        validator: {
          validate: (v: unknown) => typeof v === 'string' && canonicalMailbox(v) === v,
          defaultMessage: (args) =>
            typeof args?.value === 'string' && args.value.includes('"')
              ? `${options?.each ? 'each ' : ''}must be an e-mail address without a quoted local part`
              : `${options?.each ? 'each ' : ''}must be an e-mail address`,
        },
      },
      options,
    )(target, key);
  };
}
