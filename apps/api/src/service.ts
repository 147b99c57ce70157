import { Logger, type LogLevel as NestLogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { APPLICATION_ROLE } from '../../../migrations/index.js';
import { AppModule } from './app.module.js';
import { ApiKeysService } from './auth/api-keys.service.js';
import { LOG_LEVELS, type AppConfig } from './config/app-config.js';
import { EmbeddedDatabase } from './database/embedded-postgres.js';
import { runMigrations } from './database/migrate.js';

export interface Service {
  app: NestExpressApplication;
  /** Where the database is, for the start-up banner (no password). */
  databaseDescription: string;
  /**
   * Makes sure an admin key exists; returns it when it was generated now (to be
   * shown once). Called once the service listens, so a failed start loses no key.
   */
  ensureAdminKey(): Promise<string | undefined>;
  /** Closes the app (draining appends), then the embedded database if any. */
  close(): Promise<void>;
}

/** Nest log levels at and above the configured one. */
function logLevels(level: AppConfig['logLevel']): NestLogLevel[] {
  return LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(level) + 1) as NestLogLevel[];
}

/**
 * Builds the service: the database (embedded when DATABASE_URL is unset),
 * migrations, the Nest app and the admin key. Used by main.ts and by the tests.
 */
export async function createService(config: AppConfig): Promise<Service> {
  const logger = new Logger('Service');
  let embedded: EmbeddedDatabase | undefined;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    embedded = await EmbeddedDatabase.start({
      dataDir: config.dataDir,
      onLog: (line) => (config.logLevel === 'verbose' ? logger.verbose(line) : undefined),
    });
    databaseUrl = embedded.url;
  }
  try {
    const applied = await runMigrations(config.databaseMigrationUrl ?? databaseUrl);
    if (applied.length > 0 && logLevels(config.logLevel).includes('log')) logger.log(`applied migrations: ${applied.join(', ')}`);

    const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot({ config, databaseUrl }), {
      logger: logLevels(config.logLevel),
      bodyParser: false,
      // on shutdown, do not wait for clients' idle keep-alive connections
      forceCloseConnections: true,
    });
    // a batch of 1,000 donations is a few hundred kilobytes
    app.useBodyParser('json', { limit: '10mb' });
    // keep idle connections longer than clients and proxies do (commonly 60 s), so a
    // client never reuses a connection the server is closing at that moment
    const server = app.getHttpServer();
    server.keepAliveTimeout = 65_000;
    server.headersTimeout = 66_000;
    await app.init();
    await assertRuntimeRole(app.get<DataSource>(getDataSourceToken()));

    return {
      app,
      databaseDescription: embedded ? `embedded PostgreSQL in ${config.dataDir}` : redactPassword(databaseUrl),
      ensureAdminKey: async () => (await app.get(ApiKeysService).ensureAdminKey(config.adminApiKey)).generated,
      close: async () => {
        await app.close();
        await embedded?.stop();
      },
    };
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
}

async function assertRuntimeRole(dataSource: DataSource): Promise<void> {
  const [{ current_user: role }] = (await dataSource.query('SELECT current_user')) as Array<{ current_user: string }>;
  if (role !== APPLICATION_ROLE) {
    throw new Error(`The service must run as database role ${APPLICATION_ROLE}, but runs as ${role}.`);
  }
}

function redactPassword(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
