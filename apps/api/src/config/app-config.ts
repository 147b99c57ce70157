import { plainToInstance } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, validateSync } from 'class-validator';

export const LOG_LEVELS = ['error', 'warn', 'log', 'debug', 'verbose'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const POSTGRES_URL = /^postgres(ql)?:\/\/\S+$/;

/**
 * Every setting of the service, read once from the environment and validated at
 * boot. Nothing else reads process.env. See docs/operations.md.
 */
export class AppConfig {
  /** HTTP port; 0 picks a free one (printed at start). */
  @IsInt({ message: 'PORT must be an integer between 0 and 65535' })
  @Min(0, { message: 'PORT must be an integer between 0 and 65535' })
  @Max(65535, { message: 'PORT must be an integer between 0 and 65535' })
  port = 3000;

  @IsString()
  @Matches(/^[A-Za-z0-9.:-]+$/, { message: 'HOST must be a host name or an IP address, e.g. 127.0.0.1 or 0.0.0.0' })
  host = '127.0.0.1';

  /** PostgreSQL the service runs on; unset means the embedded database under dataDir. */
  @IsOptional()
  @Matches(POSTGRES_URL, { message: 'DATABASE_URL must be a postgres:// or postgresql:// URL' })
  databaseUrl?: string;

  /** Owner connection that applies migrations; defaults to DATABASE_URL. */
  @IsOptional()
  @Matches(POSTGRES_URL, { message: 'DATABASE_MIGRATION_URL must be a postgres:// or postgresql:// URL' })
  databaseMigrationUrl?: string;

  @IsInt({ message: 'DATABASE_POOL_SIZE must be an integer between 2 and 200' })
  @Min(2, { message: 'DATABASE_POOL_SIZE must be an integer between 2 and 200' })
  @Max(200, { message: 'DATABASE_POOL_SIZE must be an integer between 2 and 200' })
  databasePoolSize = 10;

  /** Holds the embedded database (and, later, signing keys and published files). */
  @IsString()
  @MinLength(1, { message: 'DATA_DIR must not be empty' })
  dataDir = './data';

  /** Fixed admin key; unset means one is generated and printed on first start. */
  @IsOptional()
  @Matches(/^[\x21-\x7e]{32,256}$/, {
    message: 'ADMIN_API_KEY must be 32 to 256 printable ASCII characters without spaces (e.g. `openssl rand -base64 32`)',
  })
  adminApiKey?: string;

  @IsIn(LOG_LEVELS, { message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` })
  logLevel: LogLevel = 'log';
}

/** Environment variable behind each setting. */
const ENVIRONMENT: Record<keyof AppConfig, string> = {
  port: 'PORT',
  host: 'HOST',
  databaseUrl: 'DATABASE_URL',
  databaseMigrationUrl: 'DATABASE_MIGRATION_URL',
  databasePoolSize: 'DATABASE_POOL_SIZE',
  dataDir: 'DATA_DIR',
  adminApiKey: 'ADMIN_API_KEY',
  logLevel: 'LOG_LEVEL',
};

const INTEGER_SETTINGS = new Set<keyof AppConfig>(['port', 'databasePoolSize']);

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Builds the validated configuration, or throws ConfigError naming each bad setting. */
export function loadConfig(environment: NodeJS.ProcessEnv, overrides: Partial<AppConfig> = {}): AppConfig {
  const plain: Record<string, unknown> = {};
  for (const [key, variable] of Object.entries(ENVIRONMENT) as Array<[keyof AppConfig, string]>) {
    const raw = environment[variable];
    if (raw === undefined || raw === '') continue;
    plain[key] = INTEGER_SETTINGS.has(key) ? (/^-?\d+$/.test(raw.trim()) ? Number(raw.trim()) : raw) : raw;
  }
  const config = plainToInstance(AppConfig, { ...plain, ...overrides });
  const problems = validateSync(config, { forbidUnknownValues: true, stopAtFirstError: true }).flatMap((error) => {
    const variable = ENVIRONMENT[error.property as keyof AppConfig] ?? error.property;
    return Object.values(error.constraints ?? {}).map((message) =>
      message.startsWith(variable) ? message : `${variable}: ${message}`,
    );
  });
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
