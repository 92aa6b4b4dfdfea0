/**
 * How deep a JSON input may nest. Forms are shallow; a value thousands deep is accepted by every
 * parser on the way in and then overflows the stack of whatever walks it recursively (JSON.stringify,
 * redaction, canonical JSON), so it is refused at the edge, before anything is stored.
 */
export const MAX_JSON_DEPTH = 32;

/**
 * Whether a parsed JSON value nests deeper than `limit` (an object or array is one level), found
 * without recursion so that the check itself cannot overflow.
 */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const pending: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  while (pending.length > 0) {
    const { value: current, depth } = pending.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth + 1 > limit) return true;
    const children = Array.isArray(current) ? current : Object.values(current);
    for (const child of children) pending.push({ value: child, depth: depth + 1 });
  }
  return false;
}
