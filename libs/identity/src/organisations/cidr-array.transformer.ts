import { parse as parsePgArray } from 'postgres-array';

/** node-pg returns cidr[] as the literal '{a,b}' (text[] arrives parsed already). */
export const cidrArrayTransformer = {
  to: (v: string[]) => v,
  from: (v: string | string[] | null) => (typeof v === 'string' ? parsePgArray(v) : (v ?? [])),
};
