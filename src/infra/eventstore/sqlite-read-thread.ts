import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { RecordedEvent } from './port.js';

const here = dirname(fileURLToPath(import.meta.url));
/** Read from src/ whether this module runs from src (tsx, vitest) or from dist (npm start). */
const WORKER_FILE = join(here, '..', '..', '..', 'src', 'infra', 'eventstore', 'sqlite-read-worker.mjs');

interface Request {
  resolve(events: RecordedEvent[]): void;
  /** The same read on the caller's thread, for when the worker is gone. */
  fallback(): RecordedEvent[];
  reject(error: unknown): void;
}

/** A row as better-sqlite3's `.raw()` gives it: position, stream, revision, id, type, data, metadata, recorded_at. */
export type RawEventRow = [number, string, number, string, string, string, string, number];

type Reply = { id: number; rows: RawEventRow[] } | { id: number; error: unknown };

/**
 * The main thread's side of sqlite-read-worker.mjs. If the worker cannot start or dies, every read
 * it holds and every later one is done on the caller's thread instead: slower, never lost.
 */
export class SqliteReadThread {
  private worker: Worker | undefined;
  private readonly requests = new Map<number, Request>();
  private nextId = 0;

  /** `workerFile` is for tests (a worker that cannot start). */
  constructor(
    file: string,
    private readonly toEvent: (row: RawEventRow) => RecordedEvent,
    workerFile = WORKER_FILE,
  ) {
    try {
      this.worker = new Worker(workerFile, { workerData: { file } });
    } catch {
      return;
    }
    this.worker.on('message', (reply: Reply) => this.settle(reply));
    this.worker.on('error', () => this.abandon());
    this.worker.on('exit', () => this.abandon());
    // Held open only while a read is pending (unref after the listeners, which would hold it again):
    // an idle store must not keep a CLI from exiting.
    this.worker.unref();
  }

  read(after: number, maxCount: number, fallback: () => RecordedEvent[]): Promise<RecordedEvent[]> {
    if (!this.worker) return Promise.resolve().then(fallback);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.requests.size === 0) this.worker!.ref();
      this.requests.set(id, { resolve, reject, fallback });
      this.worker!.postMessage({ id, after, maxCount });
    });
  }

  private settle(reply: Reply): void {
    const request = this.requests.get(reply.id);
    if (!request) return;
    this.requests.delete(reply.id);
    if (this.requests.size === 0) this.worker?.unref();
    if ('error' in reply) request.reject(reply.error);
    else {
      // Parsing may throw (a row that is not JSON), as the read would have on this thread.
      try {
        request.resolve(reply.rows.map(this.toEvent));
      } catch (error) {
        request.reject(error);
      }
    }
  }

  /** The worker is gone: answer what it held on this thread. */
  private abandon(): void {
    this.worker = undefined;
    const held = [...this.requests.values()];
    this.requests.clear();
    for (const request of held) {
      try {
        request.resolve(request.fallback());
      } catch (error) {
        request.reject(error);
      }
    }
  }

  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.worker = undefined;
    for (const request of this.requests.values()) request.reject(new Error('event store is closed'));
    this.requests.clear();
    await worker.terminate();
  }
}
