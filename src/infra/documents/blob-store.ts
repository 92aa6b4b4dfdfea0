import { createHash, randomBytes } from 'node:crypto';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  type ReadStream,
  readdirSync,
  rmSync,
  statSync,
} from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { type Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { isDocumentId } from '../../domain/shared/ids.js';

/** The portal's limit on one document: 5 MiB, exactly that allowed. */
export const MAX_DOCUMENT_BYTES = 5 * 1024 * 1024;
/**
 * A PDF starts with `%PDF-1.` (the version follows) and ends with `%%EOF` within its last 1,024 bytes
 * (what readers require; real scanners' files pass, a stricter parse would refuse some). `%PDF-` alone
 * let an HTML polyglot through.
 */
const PDF_MAGIC = Buffer.from('%PDF-1.', 'latin1');
const PDF_END = Buffer.from('%%EOF', 'latin1');
const END_WITHIN = 1024;

export class DocumentTooLargeError extends Error {
  readonly code = 'TOO_LARGE';
  constructor() {
    super(`The document is over ${MAX_DOCUMENT_BYTES} bytes.`);
  }
}

export class NotPdfError extends Error {
  readonly code = 'NOT_PDF';
  constructor() {
    super('The document is not a PDF.');
  }
}

export interface StoredBlob {
  id: string;
  size: number;
  sha256: string;
}

/**
 * Counts, hashes and sniffs bytes as they pass, and fails the pipeline the moment the limit is
 * crossed or the first bytes are not `%PDF-1.`, and at the end without `%%EOF` in the last 1,024 bytes:
 * nothing is buffered beyond one chunk and that tail.
 */
class Inspector extends Transform {
  size = 0;
  private readonly hash = createHash('sha256');
  private head = Buffer.alloc(0);
  /** The last END_WITHIN bytes seen, for the %%EOF check at the end. */
  private tail = Buffer.alloc(0);

  constructor(private readonly limit: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
    this.size += chunk.length;
    if (this.size > this.limit) return done(new DocumentTooLargeError());
    if (this.head.length < PDF_MAGIC.length) {
      this.head = Buffer.concat([this.head, chunk.subarray(0, PDF_MAGIC.length - this.head.length)]);
      if (!PDF_MAGIC.subarray(0, this.head.length).equals(this.head)) return done(new NotPdfError());
    }
    this.hash.update(chunk);
    const recent = chunk.length >= END_WITHIN ? chunk : Buffer.concat([this.tail, chunk]);
    this.tail = Buffer.from(recent.subarray(Math.max(0, recent.length - END_WITHIN)));
    done(null, chunk);
  }

  override _flush(done: TransformCallback) {
    if (this.head.length < PDF_MAGIC.length || !this.tail.includes(PDF_END)) return done(new NotPdfError());
    done();
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}

/**
 * Uploaded documents on disk under DOCUMENTS_DIR (default DATA_DIR/documents), one file per random
 * 128-bit id; instances sharing a log share this folder (a shared volume). A file is
 * written under a temporary name and renamed only when complete and valid, so a half-written or
 * refused upload never shows up under an id; its partial file is removed.
 */
export class BlobStore {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
    mkdirSync(this.dir, { recursive: true });
  }

  static newId(): string {
    return randomBytes(16).toString('hex');
  }

  async write(source: Readable, limit = MAX_DOCUMENT_BYTES): Promise<StoredBlob> {
    const id = BlobStore.newId();
    const partial = join(this.dir, `${id}.part`);
    const inspector = new Inspector(limit);
    try {
      await pipeline(source, inspector, createWriteStream(partial, { flags: 'wx', mode: 0o600 }));
      await rename(partial, this.pathOf(id));
    } catch (error) {
      // Stop reading what is left of the upload before throwing: the caller answers at once.
      source.destroy();
      await unlink(partial).catch(() => {});
      throw error;
    }
    return { id, size: inspector.size, sha256: inspector.digest() };
  }

  read(id: string): ReadStream | null {
    const path = this.pathOf(id);
    return existsSync(path) ? createReadStream(path) : null;
  }

  size(id: string): number | null {
    const path = this.pathOf(id);
    return existsSync(path) ? statSync(path).size : null;
  }

  remove(id: string): void {
    rmSync(this.pathOf(id), { force: true });
  }

  /** Every file under the directory, partial ones included: what tests check is left behind. */
  files(): string[] {
    return readdirSync(this.dir);
  }

  private pathOf(id: string): string {
    if (!isDocumentId(id)) throw new Error('not a document id');
    return join(this.dir, id);
  }
}
