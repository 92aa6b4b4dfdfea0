import { z } from 'zod';
import {
  type BusinessRecord,
  type CitizenRecord,
  type Registries,
  RegistryUnavailableError,
} from './port.js';

const Citizen = z.object({
  nid: z.string(),
  idCardNumber: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  birthDate: z.string(),
});
const Business = z.object({ nipt: z.string(), name: z.string(), administratorNid: z.string() });

/**
 * The interoperability gateway's registries over HTTP (REGISTRY_URL), read-only:
 * GET {base}/citizens/{nid} and GET {base}/businesses/{nipt}, 200 with the record or 404.
 * Anything else (5xx, a timeout, a malformed answer) is RegistryUnavailableError.
 */
export class HttpRegistries implements Registries {
  private readonly base: string;

  constructor(
    baseUrl: string,
    private readonly timeoutMs = 5_000,
  ) {
    this.base = baseUrl.replace(/\/+$/, '');
  }

  citizen(nid: string): Promise<CitizenRecord | null> {
    return this.get('civil', `/citizens/${encodeURIComponent(nid)}`, Citizen);
  }

  business(nipt: string): Promise<BusinessRecord | null> {
    return this.get('business', `/businesses/${encodeURIComponent(nipt)}`, Business);
  }

  private async get<T>(registry: string, path: string, shape: z.ZodType<T>): Promise<T | null> {
    let response: Response;
    try {
      response = await fetch(`${this.base}${path}`, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new RegistryUnavailableError(registry, error);
    }
    if (response.status === 404) {
      await response.body?.cancel();
      return null;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new RegistryUnavailableError(registry, new Error(`HTTP ${response.status}`));
    }
    const parsed = shape.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success) throw new RegistryUnavailableError(registry, parsed.error);
    return parsed.data;
  }
}
