/** Text written as it is between the values of a container (brackets, commas, keys). */
class Literal {
  constructor(readonly text: string) {}
}

const scalar = (value: unknown): string => {
  const text = JSON.stringify(value);
  return text === undefined ? 'null' : text;
};

/**
 * JSON with object keys sorted at every depth, so that the same value always gives the same bytes:
 * what the hash chain and registry digests are computed over. Undefined members are dropped, as
 * JSON.stringify does, so a value and its stored-and-parsed copy serialise alike.
 *
 * Without recursion: an event stored before inputs were bounded may be nested thousands deep, and
 * verifying the chain over it must not overflow the stack. Every event's hash-chain link goes through
 * here (at sign-in, and again for every event an audit verifies), so it builds one string with plain
 * loops and one work stack.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return scalar(value);
  let out = '';
  const work: unknown[] = [value];
  while (work.length > 0) {
    const item = work.pop();
    if (item instanceof Literal) {
      out += item.text;
      continue;
    }
    if (item === null || typeof item !== 'object') {
      out += scalar(item);
      continue;
    }
    if (item instanceof Date) {
      out += JSON.stringify(item.toISOString());
      continue;
    }
    if (Array.isArray(item)) {
      out += '[';
      work.push(new Literal(']'));
      for (let i = item.length - 1; i >= 0; i--) {
        work.push(item[i]);
        if (i > 0) work.push(new Literal(','));
      }
      continue;
    }
    const record = item as Record<string, unknown>;
    // sort() without a comparator orders by UTF-16 code units, as `<` on strings does.
    const keys = Object.keys(record)
      .filter((key) => record[key] !== undefined)
      .sort();
    out += '{';
    work.push(new Literal('}'));
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i]!;
      work.push(record[key]);
      work.push(new Literal(`${i > 0 ? ',' : ''}${JSON.stringify(key)}:`));
    }
  }
  return out;
}

/**
 * JSON.stringify for storage, which falls back to canonicalJson (also valid JSON, keys sorted) for a
 * value too deep for V8's recursive serialiser, so such a value can still be written and read back.
 */
export function storedJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch (error) {
    if (error instanceof RangeError && /call stack/i.test(error.message)) return canonicalJson(value);
    throw error;
  }
}
