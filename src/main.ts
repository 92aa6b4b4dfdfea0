import { pino } from 'pino';
import { buildApp } from './api/app.js';
import { buildMetricsServer } from './api/ops-routes.js';
import { createServices } from './bootstrap/services.js';
import { type Config, ConfigError, loadConfig } from './infra/config.js';
import { requestIdMixin } from './infra/log-context.js';

/** The process entry point: configuration, services, HTTP server, graceful shutdown. */
async function main() {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  // The application's own lines carry the request id of the request they belong to (log-context.ts).
  const log = pino({ level: config.LOG_LEVEL, mixin: requestIdMixin });
  const services = await createServices(config, { log });
  const app = await buildApp({ services, logger: { level: config.LOG_LEVEL } });
  await app.listen({ port: config.PORT, host: config.HOST });
  const metricsServer =
    services.ops.metrics && config.METRICS_PORT !== undefined ? await buildMetricsServer(services) : null;
  await metricsServer?.listen({ port: config.METRICS_PORT, host: config.HOST });
  services.jobs.start();
  log.info(
    { graphql: `http://${config.HOST}:${config.PORT}/graphql`, devTools: config.DEV_TOOLS },
    'portal-core is listening',
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    // First of all: the load balancer stops sending before the listener closes.
    services.ops.readiness.beginShutdown();
    log.info({ signal }, 'stopping: finishing requests in flight');
    // app.close() stops accepting connections and waits for requests in flight; then the store closes.
    const force = setTimeout(() => {
      log.error(
        { timeoutMs: config.SHUTDOWN_TIMEOUT_MS },
        'requests still in flight at SHUTDOWN_TIMEOUT_MS: exiting',
      );
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS).unref();
    await app.close();
    await metricsServer?.close();
    await services.close();
    log.info({ signal }, 'stopped: requests finished, last audit checkpoint written');
    clearTimeout(force);
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

await main();
