import { z } from 'zod';

/** A comma-separated variable as its trimmed, non-empty entries (`a, b,,c` is `['a', 'b', 'c']`). */
export const commaList = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    );
