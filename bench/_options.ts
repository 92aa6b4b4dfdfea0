/**
 * `--name=value` from a benchmark's arguments, or `fallback`; refuses what the benchmark cannot run
 * with (not a number, negative, zero unless allowed, a fraction where a count is asked).
 */
export function numberOption(
  args: string[],
  name: string,
  fallback: number,
  { integer = false, zeroAllowed = false }: { integer?: boolean; zeroAllowed?: boolean } = {},
): number {
  const found = args.find((a) => a.startsWith(`--${name}=`));
  const value = found ? Number(found.slice(name.length + 3)) : fallback;
  const kind = integer ? 'integer' : 'number';
  if (
    !Number.isFinite(value) ||
    (integer && !Number.isInteger(value)) ||
    value < 0 ||
    (value === 0 && !zeroAllowed)
  )
    throw new Error(`--${name} must be a ${zeroAllowed ? 'non-negative' : 'positive'} ${kind}`);
  return value;
}
