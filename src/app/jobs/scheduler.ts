import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from '../logger.js';
import { InProcessRunLock, type RunLock } from './run-lock.js';

export interface Job {
  name: string;
  /** A node-cron expression (seconds optional), e.g. '*\/5 * * * *'. */
  schedule: string;
  run(): Promise<unknown>;
  /** How long one run may hold the job's lock; a run that dies holds it no longer. Default 15 min. */
  maxRunMs?: number;
}

const DEFAULT_MAX_RUN_MS = 15 * 60_000;

/** Told of every run that finished: the job, whether it threw, how long it took (operations metrics). */
export type JobRunListener = (run: { job: string; outcome: 'ok' | 'failed'; ms: number; at: Date }) => void;

/**
 * The scheduled jobs of this instance (overdue applications, upload purge, and whatever other
 * features register). Jobs are registered at start-up and run only once `start` is called (main.ts),
 * so tests call `runNow` (the job alone) or `runScheduled` (as a cron tick would) instead of waiting.
 *
 * Each cron tick goes through the run lock: with REDIS_URL only one instance runs a tick of a job,
 * and never while another instance still runs that job (run-lock.ts); without, in process. Jobs stay
 * safe to run twice all the same (they decide from the streams with exact revisions), since a lock
 * held past its time-to-live lets another run start.
 */
export class JobScheduler {
  private readonly jobs = new Map<string, Job>();
  private tasks: ScheduledTask[] = [];
  private readonly runListeners: JobRunListener[] = [];

  constructor(
    private readonly log: Logger,
    private readonly lock: RunLock = new InProcessRunLock(),
  ) {}

  register(job: Job): void {
    if (this.jobs.has(job.name)) throw new Error(`job ${job.name} is registered twice`);
    if (!cron.validate(job.schedule))
      throw new Error(`job ${job.name} has an invalid schedule ${job.schedule}`);
    this.jobs.set(job.name, job);
  }

  onRun(listener: JobRunListener): void {
    this.runListeners.push(listener);
  }

  /** Runs a job and tells the listeners how it went; the job's answer or error passes through. */
  private async run(job: Job): Promise<unknown> {
    const started = performance.now();
    let outcome: 'ok' | 'failed' = 'failed';
    try {
      const answer = await job.run();
      outcome = 'ok';
      return answer;
    } finally {
      const run = { job: job.name, outcome, ms: performance.now() - started, at: new Date() };
      for (const listener of this.runListeners) listener(run);
    }
  }

  names(): string[] {
    return [...this.jobs.keys()];
  }

  async runNow(name: string): Promise<unknown> {
    const job = this.jobs.get(name);
    if (!job) throw new Error(`no job named ${name}`);
    return this.run(job);
  }

  /**
   * One tick of the schedule: runs the job if this instance takes the run (`scheduledFor` is the
   * instant the schedule fired for, which every instance computes alike, to the second).
   */
  async runScheduled(name: string, scheduledFor: Date): Promise<'RAN' | 'SKIPPED'> {
    const job = this.jobs.get(name);
    if (!job) throw new Error(`no job named ${name}`);
    const tick = new Date(Math.floor(scheduledFor.getTime() / 1000) * 1000).toISOString();
    const held = await this.lock.acquire(name, tick, job.maxRunMs ?? DEFAULT_MAX_RUN_MS);
    if (!held) return 'SKIPPED';
    try {
      await this.run(job);
      return 'RAN';
    } finally {
      await held.release().catch((error: unknown) => {
        this.log.warn({ err: error, job: name }, 'job lock not released; it expires by itself');
      });
    }
  }

  start(): void {
    if (this.tasks.length > 0) return;
    for (const job of this.jobs.values()) {
      this.tasks.push(
        cron.schedule(
          job.schedule,
          async (context) => {
            try {
              await this.runScheduled(job.name, context.date);
            } catch (error) {
              this.log.error({ err: error, job: job.name }, 'scheduled job failed');
            }
          },
          { name: job.name, noOverlap: true },
        ),
      );
    }
  }

  async stop(): Promise<void> {
    const tasks = this.tasks;
    this.tasks = [];
    await Promise.all(tasks.map((task) => task.destroy()));
    await this.lock.close();
  }
}
