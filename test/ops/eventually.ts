/** Asks `probe` again until it holds, for at most `ms`; the last answer is returned either way. */
export async function eventually<T>(probe: () => Promise<T>, holds: (value: T) => boolean, ms = 15_000) {
  const deadline = Date.now() + ms;
  let value = await probe();
  while (!holds(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    value = await probe();
  }
  return value;
}
