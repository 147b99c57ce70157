import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { ConfigError, loadConfig } from './config/app-config.js';
import { EmbeddedDatabaseError } from './database/embedded-postgres.js';
import { createService, type Service } from './service.js';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const service = await createService(config);
  try {
    await service.app.listen(config.port, config.host);
  } catch (error) {
    await service.close();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new ConfigError([`PORT: ${config.host}:${config.port} is already in use; set PORT to a free port (0 picks one)`]);
    }
    throw error;
  }
  installShutdown(service);
  const generatedAdminKey = await service.ensureAdminKey();

  const { port } = service.app.getHttpServer().address() as AddressInfo;
  const base = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
  const lines = [
    'Charity Ledger is running.',
    `  GraphQL API:  ${base}/graphql`,
    `  Explorer:     ${base}/explorer`,
    `  Database:     ${service.databaseDescription}`,
  ];
  if (generatedAdminKey) {
    lines.push(
      `  Admin API key (shown once; only its hash is stored): ${generatedAdminKey}`,
      '  Send it as "Authorization: Bearer <key>". Set ADMIN_API_KEY to choose your own.',
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

function installShutdown(service: Service): void {
  // embedded-postgres installs exit hooks that would stop PostgreSQL before the
  // app has drained its appends; the service shuts down in order instead
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.removeAllListeners(signal);
    process.once(signal, () => {
      process.stdout.write(`${signal} received: finishing appends in flight, then stopping.\n`);
      setTimeout(() => {
        process.stderr.write('shutdown took longer than 30 s; exiting now\n');
        process.exit(1);
      }, 30_000).unref();
      service.close().then(
        () => process.exit(0),
        (error: unknown) => {
          process.stderr.write(`shutdown failed: ${String(error)}\n`);
          process.exit(1);
        },
      );
    });
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof EmbeddedDatabaseError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`Charity Ledger failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exit(1);
});
