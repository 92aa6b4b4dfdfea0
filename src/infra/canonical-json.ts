/**
 * JSON with object keys sorted at every depth, so that the same value always gives the same bytes:
 * what the hash chain and registry digests are computed over. Undefined members are dropped, as
 * JSON.stringify does, so a value and its stored-and-parsed copy serialise alike.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    return text === undefined ? 'null' : text;
  }
  // Plain loops and one string, not entries/filter/sort/map/join arrays: every event's hash-chain
  // link goes through here, at sign-in and again for every event an audit verifies.
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + canonicalJson(value[i]);
    return `${out}]`;
  }
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  const record = value as Record<string, unknown>;
  // sort() without a comparator orders by UTF-16 code units, as `<` on strings does.
  const keys = Object.keys(record).sort();
  let out = '{';
  for (const key of keys) {
    const member = record[key];
    if (member === undefined) continue;
    out += `${out.length === 1 ? '' : ','}${JSON.stringify(key)}:${canonicalJson(member)}`;
  }
  return `${out}}`;
}
