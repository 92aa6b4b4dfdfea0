import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from '../services.js';

export interface Job {
  name: string;
  /** A node-cron expression (seconds optional), e.g. '*\/5 * * * *'. */
  schedule: string;
  run(): Promise<unknown>;
}

/**
 * The scheduled jobs of this instance (overdue applications, upload purge, and whatever other
 * features register). Jobs are registered at start-up and run only once `start` is called (main.ts),
 * so tests call `runNow` instead of waiting for a clock. A run never overlaps the previous one.
 *
 * Each job must be safe to run on several instances at once: the ones here decide from the streams
 * with exact revisions, so a second instance's run appends nothing. (A Redis lock would only save work.)
 */
export class JobScheduler {
  private readonly jobs = new Map<string, Job>();
  private tasks: ScheduledTask[] = [];

  constructor(private readonly log: Logger) {}

  register(job: Job): void {
    if (this.jobs.has(job.name)) throw new Error(`job ${job.name} is registered twice`);
    if (!cron.validate(job.schedule))
      throw new Error(`job ${job.name} has an invalid schedule ${job.schedule}`);
    this.jobs.set(job.name, job);
  }

  names(): string[] {
    return [...this.jobs.keys()];
  }

  async runNow(name: string): Promise<unknown> {
    const job = this.jobs.get(name);
    if (!job) throw new Error(`no job named ${name}`);
    return job.run();
  }

  start(): void {
    if (this.tasks.length > 0) return;
    for (const job of this.jobs.values()) {
      this.tasks.push(
        cron.schedule(
          job.schedule,
          async () => {
            try {
              await job.run();
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
  }
}
