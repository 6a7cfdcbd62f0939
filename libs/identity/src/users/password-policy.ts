import { normalise } from '../auth/password-hasher';

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 1024;

/**
 * NIST SP 800-63B length rule: at least 12 characters after NFKC normalisation, no composition
 * rules, nothing truncated. Returns why a password is refused, or undefined.
 */
export function passwordProblem(password: string): string | undefined {
  const length = [...normalise(password)].length;
  if (length < PASSWORD_MIN) return `must be at least ${PASSWORD_MIN} characters (has ${length})`;
  if (length > PASSWORD_MAX) return `must be at most ${PASSWORD_MAX} characters`;
  return undefined;
}
