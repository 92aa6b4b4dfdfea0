import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Every metric the portal exposes, registered on a registry of its own (several instances run in one
 * test process, and prom-client's global registry refuses a name twice). Labels are low-cardinality
 * by construction: each takes its values from a closed set (a schema field, an outcome, a channel, an
 * institution of the catalogue), never an identifier, an address or an application id.
 */
export function createPortalMetrics() {
  const registry = new Registry();
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
    new Counter<L>({ name, help, labelNames, registers: [registry] });
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
    new Gauge<L>({ name, help, labelNames, registers: [registry] });
  const histogram = <L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    buckets: number[],
  ) => new Histogram<L>({ name, help, labelNames, buckets, registers: [registry] });

  const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
  return {
    registry,
    requests: histogram(
      'portal_request_duration_seconds',
      'Requests by schema root field (or HTTP route) and outcome (union member or error code), with their duration',
      ['root', 'outcome'],
      SECONDS,
    ),
    signIns: counter(
      'portal_signin_outcomes_total',
      'Sign-in attempts by outcome: accepted, rejected, locked (the failure that locked), refused_locked, rate_limited',
      ['outcome'],
    ),
    locks: counter('portal_locks_total', 'Locks started, by reason', ['reason']),
    codesIssued: counter('portal_codes_issued_total', 'One-time codes issued'),
    wrongCodes: counter('portal_codes_wrong_total', 'Wrong one-time codes entered'),
    recoveries: counter('portal_recovery_steps_total', 'Recovery steps by step and outcome', [
      'step',
      'outcome',
    ]),
    helpdesk: counter('portal_helpdesk_actions_total', 'Helpdesk actions, by action', ['action']),
    deliveries: counter(
      'portal_deliveries_total',
      'Message deliveries by channel (SMS, EMAIL) and result (delivered, failed, retried)',
      ['channel', 'result'],
    ),
    providerLatency: histogram(
      'portal_delivery_provider_seconds',
      'Time the provider (SMTP, Twilio, the dev outbox) took to accept or refuse a message',
      ['channel', 'result'],
      [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
    ),
    applicationStatus: counter(
      'portal_application_status_changes_total',
      'Application status changes by new status and institution',
      ['status', 'institution'],
    ),
    overdue: gauge('portal_applications_overdue', 'Open applications past their due date, by institution', [
      'institution',
    ]),
    uploads: counter('portal_uploads_total', 'Document uploads accepted and refused, by result', ['result']),
    appendLatency: histogram(
      'portal_eventstore_append_seconds',
      'Time from an append to its durable acknowledgement (group commit included)',
      ['result'],
      [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    ),
    appendSize: histogram(
      'portal_eventstore_append_events',
      'Events per append',
      [],
      [1, 2, 3, 5, 10, 25, 100],
    ),
    commits: counter(
      'portal_eventstore_commits_total',
      'Transactions committed by the SQLite store (one fsync each); appends_total / commits_total is the group-commit batch size',
    ),
    committedAppends: counter(
      'portal_eventstore_committed_appends_total',
      'Appends written in those transactions',
    ),
    conflicts: counter(
      'portal_eventstore_conflicts_total',
      'Appends refused by the expected revision (another instance wrote first); each is decided again and retried',
    ),
    commandRetries: counter(
      'portal_command_retries_total',
      'Commands whose append was refused by the expected revision: decided again on the newer stream (retried) or, after the last attempt, answered CONFLICT (exhausted)',
      ['outcome'],
    ),
    head: gauge('portal_eventstore_head_position', 'Position of the last event in the global log'),
    lagPositions: gauge(
      'portal_projection_lag_positions',
      'Positions of the log not yet applied to the read model',
      ['projection'],
    ),
    lagSeconds: gauge(
      'portal_projection_lag_seconds',
      'Age of the oldest event not yet applied to the read model (0 when at the head)',
      ['projection'],
    ),
    rebuilds: counter('portal_projection_rebuilds_total', 'Read-model rebuilds from the log'),
    redisUp: gauge(
      'portal_redis_up',
      '1 when the Redis connection is ready, 0 otherwise (absent without REDIS_URL)',
    ),
    redisErrors: counter('portal_redis_errors_total', 'Errors reported by the Redis connection'),
    jobLastRun: gauge(
      'portal_job_last_run_timestamp_seconds',
      'When each scheduled job last finished (Unix seconds)',
      ['job'],
    ),
    jobDuration: gauge('portal_job_last_duration_seconds', 'How long the last run of each job took', ['job']),
    jobRuns: counter('portal_job_runs_total', 'Scheduled job runs by outcome', ['job', 'outcome']),
    auditVerifications: counter(
      'portal_audit_verifications_total',
      'Scheduled audit verifications by result (passed, failed)',
      ['result'],
    ),
    auditWitnessPosition: gauge(
      'portal_audit_witness_position',
      'Log position of the newest signed audit checkpoint (the witness): compare it with what the log holds',
    ),
    ready: gauge('portal_ready', '1 when /ready would answer 200 at the last scrape'),
  };
}

export type PortalMetrics = ReturnType<typeof createPortalMetrics>;

let processRegistry: Registry | undefined;

/**
 * Node's process metrics (CPU, memory, heap, GC, event loop lag), once per process: they describe the
 * process, not one instance of the app, and their collectors (an event-loop delay monitor) should run
 * once however many apps a test process builds.
 */
export function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
    // Gauges prom-client names with `_total`, which Prometheus keeps for counters (promtool check metrics
    // refuses them); the handle counts are rarely what an operator looks at, so they go.
    for (const name of [
      'nodejs_active_handles_total',
      'nodejs_active_requests_total',
      'nodejs_active_resources_total',
    ])
      processRegistry.removeSingleMetric(name);
  }
  return processRegistry;
}

/** The exposition of both registries, in the text format (one content type for both). */
export async function exposition(metrics: PortalMetrics): Promise<string> {
  const [own, process] = await Promise.all([metrics.registry.metrics(), processMetrics().metrics()]);
  return `${own}${own.endsWith('\n') ? '' : '\n'}${process}`;
}

export const EXPOSITION_CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;
