import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as zxcvbnCommon from '@zxcvbn-ts/language-common';
import * as zxcvbnEn from '@zxcvbn-ts/language-en';
import { normalise } from '../auth/password-hasher';

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 1024;

/** What we know about the account, so a password built from it can be refused. */
export interface PasswordContext {
  email?: string;
  organisationName?: string;
  displayName?: string;
}

// zxcvbn matches up to 100 de-l33ted variants of the password against every dictionary, so its
// time grows with length: on symbol-rich input about 7 s for 1024 characters, 2 s for 256, 0.5 s
// for 100, and it blocks the event loop (a login form is a public endpoint). Only the first 100
// are scored: 100 characters that score weak are refused, and 100 that score strong are strong.
const ZXCVBN_MAX = 100;

// zxcvbn scores 0-4; 3 (at least 10^8 guesses) is the first it calls "safely unguessable".
const MIN_SCORE = 3;

// Context fragments shorter than this (initials, "jp", "co") would strip ordinary letters out of
// unrelated passphrases.
const MIN_CONTEXT_WORD = 3;

let zxcvbn: ZxcvbnFactory | undefined;
let commonPasswords: Set<string> | undefined;

// Built on first use: ranking the dictionaries takes ~100 ms and memory that processes which never
// set a password should not pay for.
function estimator(): ZxcvbnFactory {
  zxcvbn ??= new ZxcvbnFactory({
    dictionary: { ...zxcvbnCommon.dictionary, ...zxcvbnEn.dictionary },
    graphs: zxcvbnCommon.adjacencyGraphs,
    translations: zxcvbnEn.translations,
  });
  return zxcvbn;
}

function isCommonPassword(lowered: string): boolean {
  commonPasswords ??= new Set(
    zxcvbnCommon.dictionary['passwords-common'].map((p) => normalise(p).toLowerCase()),
  );
  return commonPasswords.has(lowered);
}

const words = (text: string) => text.split(/[^\p{L}\p{N}]+/u).filter(Boolean);

/** The e-mail, organisation and name, whole and in pieces, lower-cased and NFKC-normalised. */
function contextWords({ email, organisationName, displayName }: PasswordContext): string[] {
  const found: string[] = [];
  if (email) {
    const [local, domain = ''] = email.split('@');
    found.push(email, local, ...words(local), words(local).join(''), domain);
    for (const label of domain.split('.'))
      found.push(label, ...words(label), words(label).join(''));
  }
  // Names are typed without their spaces or hyphens as often as with them.
  for (const name of [organisationName, displayName]) {
    if (name) found.push(name, ...words(name), words(name).join(''));
  }
  return [...new Set(found.map((w) => normalise(w).trim().toLowerCase()).filter(Boolean))];
}

// zxcvbn's warnings are sentences ("This is a commonly used password."); ours follow the field name.
const asReason = (warning: string) =>
  warning.charAt(0).toLowerCase() + warning.slice(1).replace(/\.$/, '');

/**
 * NIST SP 800-63B-4 password rules: 12 to 1024 characters after NFKC normalisation (counted in
 * code points, never truncated), no composition rules, and a blocklist: common passwords, easily
 * guessed ones and ones derived from the account's own details. Returns why a password is refused,
 * or undefined.
 */
export function passwordProblem(
  password: string,
  context: PasswordContext = {},
): string | undefined {
  const normalised = normalise(password);
  const codePoints = [...normalised];
  const length = codePoints.length;
  if (length < PASSWORD_MIN) return `must be at least ${PASSWORD_MIN} characters (has ${length})`;
  if (length > PASSWORD_MAX) return `must be at most ${PASSWORD_MAX} characters (has ${length})`;

  const lowered = normalised.toLowerCase();
  if (isCommonPassword(lowered)) return 'is a commonly used password';

  const userInputs = contextWords(context);
  const scored = codePoints.slice(0, ZXCVBN_MAX).join('');
  const result = estimator().check(scored, userInputs);
  if (result.score < MIN_SCORE) {
    const warning = result.feedback.warning;
    return warning ? `is too easy to guess: ${asReason(warning)}` : 'is too easy to guess';
  }

  // zxcvbn adds a fixed cost per extra pattern, so "HigashiDenryoku2026!" outscores what an
  // attacker who knows the account would need: judge what is left once the account's own words
  // are taken out. Longest first, so "higashidenryoku" goes before "higashi" can split it.
  const personal = userInputs
    .filter((w) => [...w].length >= MIN_CONTEXT_WORD)
    .sort((a, b) => b.length - a.length);
  const scoredLowered = scored.toLowerCase();
  let rest = scoredLowered;
  for (const word of personal) rest = rest.split(word).join('');
  if (rest !== scoredLowered && estimator().check(rest, userInputs).score < MIN_SCORE) {
    return 'is too easy to guess once your e-mail address, name and organisation name are taken out';
  }
  return undefined;
}
