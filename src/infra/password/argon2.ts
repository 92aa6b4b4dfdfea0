import { randomBytes } from 'node:crypto';
import argon2 from 'argon2';

/** Hashes and checks passwords, security answers and temporary passwords. */
export interface PasswordHasher {
  hash(secret: string): Promise<string>;
  verify(hash: string, secret: string): Promise<boolean>;
  /** The same argon2 work as a verify against a real hash, for identifiers that have no account. */
  dummyVerify(secret: string): Promise<false>;
}

export interface Argon2Params {
  memoryKib: number;
  timeCost: number;
}

/**
 * argon2id with the configured cost (OWASP: at least m=19 MiB, t=2, p=1 in production). argon2 runs
 * on libuv's thread pool, so it never blocks the event loop; callers keep it out of retries.
 */
export class Argon2PasswordHasher implements PasswordHasher {
  private dummyHash: Promise<string> | undefined;

  constructor(readonly params: Argon2Params) {}

  hash(secret: string): Promise<string> {
    return argon2.hash(secret, {
      type: argon2.argon2id,
      memoryCost: this.params.memoryKib,
      timeCost: this.params.timeCost,
      parallelism: 1,
    });
  }

  async verify(hash: string, secret: string): Promise<boolean> {
    try {
      return await argon2.verify(hash, secret);
    } catch {
      // A malformed hash is a failed verification, never a thrown error on the sign-in path.
      return false;
    }
  }

  async dummyVerify(secret: string): Promise<false> {
    this.dummyHash ??= this.hash(randomBytes(24).toString('base64url'));
    await this.verify(await this.dummyHash, secret);
    return false;
  }
}
