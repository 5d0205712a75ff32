// Process entry: read .env, check the configuration, start, and shut down cleanly on signals.
import { existsSync } from 'node:fs';
import { buildApp } from './app.js';
import { loadConfig } from './config.js';
import { createLogger } from './logger.js';

async function main(): Promise<void> {
  // The same .env the admin CLI and the simulator read; variables already set win over the file.
  if (existsSync('.env')) {
    try {
      process.loadEnvFile('.env');
    } catch (err) {
      throw new Error(`.env could not be read (${(err as Error).message})`);
    }
  }
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const app = await buildApp(config, logger);
  const address = await app.start();
  logger.info({ address, database: app.database.engine }, 'Alphadome Bot is listening');

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing claimed messages');
    app.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ error: (err as Error).message }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  // Configuration, key and lock problems are the operator's to fix: say what, without a stack trace.
  process.stderr.write(`Cannot start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
