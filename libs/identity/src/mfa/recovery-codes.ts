import { createHash, randomBytes } from 'node:crypto';

const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789'; // no 0/o, 1/l/i: read aloud and typed from paper

/** 16 characters of a 31-letter alphabet: 79 bits, so a hash leak cannot be brute-forced. */
export function newRecoveryCode(): string {
  const bytes = randomBytes(16);
  const chars = [...bytes].map((b) => ALPHABET[b % ALPHABET.length]);
  return [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join('')).join('-');
}

/** Spaces, dashes and case do not matter when a code is typed back. */
export function normaliseRecoveryCode(input: string): string {
  const plain = input.toLowerCase().replace(/[\s-]/g, '');
  return [0, 4, 8, 12].map((i) => plain.slice(i, i + 4)).join('-');
}

/** Salted with the user id, so equal codes of two users do not hash alike. */
export const hashRecoveryCode = (userId: string, code: string) =>
  createHash('sha256')
    .update(`${userId}:${normaliseRecoveryCode(code)}`)
    .digest();
