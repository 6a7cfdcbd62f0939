/** The value with null fields of its input objects left out, at any depth; a null list item stays. */
export function withoutNulls(value: unknown): unknown {
  if (value === null) return undefined;
  if (Array.isArray(value)) return value.map((v) => (v === null ? v : withoutNulls(v)));
  // Only input objects: graphql-js builds them plain or with a null prototype.
  const proto = value && typeof value === 'object' ? Object.getPrototypeOf(value) : undefined;
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as object)) {
    if (v !== null) out[k] = withoutNulls(v);
  }
  return out;
}
