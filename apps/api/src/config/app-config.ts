import { plainToInstance } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, validateSync } from 'class-validator';

export const LOG_LEVELS = ['error', 'warn', 'log', 'debug', 'verbose'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const POSTGRES_URL = /^postgres(ql)?:\/\/\S+$/;
/** 32 bytes in base64. */
const BASE64_KEY = /^[A-Za-z0-9+/]{43}=$/;

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

  /**
   * Name of the log in its signed checkpoints (the C2SP origin line), and of the
   * key that signs them. Set it to where the log is published; verifiers pin it.
   */
  @Matches(/^[\x21-\x2a\x2c-\x7e]{1,255}$/, {
    message: 'CHECKPOINT_ORIGIN must be 1 to 255 printable ASCII characters without spaces or "+", e.g. ledger.example.org/charity',
  })
  checkpointOrigin = 'localhost/charity-ledger';

  /** A checkpoint is signed once the log has grown by this many entries since the last one… */
  @IsInt({ message: 'CHECKPOINT_EVERY_ENTRIES must be an integer between 1 and 10000000' })
  @Min(1, { message: 'CHECKPOINT_EVERY_ENTRIES must be an integer between 1 and 10000000' })
  @Max(10_000_000, { message: 'CHECKPOINT_EVERY_ENTRIES must be an integer between 1 and 10000000' })
  checkpointEveryEntries = 1_000;

  /** …or once this many seconds have passed since the last one and the log has grown. */
  @IsInt({ message: 'CHECKPOINT_INTERVAL_SECONDS must be an integer between 1 and 86400' })
  @Min(1, { message: 'CHECKPOINT_INTERVAL_SECONDS must be an integer between 1 and 86400' })
  @Max(86_400, { message: 'CHECKPOINT_INTERVAL_SECONDS must be an integer between 1 and 86400' })
  checkpointIntervalSeconds = 30;

  /** The checkpoint signing key itself (C2SP signer key); unset means the key file below. */
  @IsOptional()
  @Matches(/^PRIVATE\+KEY\+[^\s+]+\+[0-9a-f]{8}\+[A-Za-z0-9+/]+={0,2}$/, {
    message: 'CHECKPOINT_SIGNING_KEY must be a C2SP signer key, PRIVATE+KEY+<name>+<8 hex digits>+<base64>',
  })
  checkpointSigningKey?: string;

  /** File holding the signing key; generated (mode 0600) on first start. Default DATA_DIR/checkpoint-signing-key. */
  @IsOptional()
  @IsString()
  @MinLength(1, { message: 'CHECKPOINT_SIGNING_KEY_FILE must not be empty' })
  checkpointSigningKeyFile?: string;

  /** Folder the checkpoints and the key list are written to, to copy to a static host. Default DATA_DIR/public. */
  @IsOptional()
  @IsString()
  @MinLength(1, { message: 'PUBLISH_DIR must not be empty' })
  publishDir?: string;

  /**
   * A live-feed subscriber (GraphQL subscription) that falls this many events behind
   * is disconnected rather than buffered without bound; see docs/api.md, "Live feed".
   */
  @IsInt({ message: 'LIVE_FEED_MAX_QUEUE must be an integer between 1 and 1000000' })
  @Min(1, { message: 'LIVE_FEED_MAX_QUEUE must be an integer between 1 and 1000000' })
  @Max(1_000_000, { message: 'LIVE_FEED_MAX_QUEUE must be an integer between 1 and 1000000' })
  liveFeedMaxQueue = 1_000;

  /**
   * Key of the beneficiary pseudonyms (HMAC-SHA-256), 32 bytes in base64; unset means
   * the key file below. It must never change once people are enrolled (docs/privacy.md).
   */
  @IsOptional()
  @Matches(BASE64_KEY, { message: 'BENEFICIARY_PSEUDONYM_KEY must be 32 bytes in base64 (44 characters, e.g. `openssl rand -base64 32`)' })
  beneficiaryPseudonymKey?: string;

  /** File holding the pseudonym key; generated (mode 0600) on first start. Default DATA_DIR/beneficiary-pseudonym-key. */
  @IsOptional()
  @IsString()
  @MinLength(1, { message: 'BENEFICIARY_PSEUDONYM_KEY_FILE must not be empty' })
  beneficiaryPseudonymKeyFile?: string;

  /** Key-encryption key that wraps each beneficiary's own data key, 32 bytes in base64; unset means the key file below. */
  @IsOptional()
  @Matches(BASE64_KEY, { message: 'BENEFICIARY_KEY_ENCRYPTION_KEY must be 32 bytes in base64 (44 characters, e.g. `openssl rand -base64 32`)' })
  beneficiaryKeyEncryptionKey?: string;

  /** File holding the key-encryption key; generated (mode 0600) on first start. Default DATA_DIR/beneficiary-key-encryption-key. */
  @IsOptional()
  @IsString()
  @MinLength(1, { message: 'BENEFICIARY_KEY_ENCRYPTION_KEY_FILE must not be empty' })
  beneficiaryKeyEncryptionKeyFile?: string;
  /** Folder of the evidence media store (photos, videos, documents by SHA-256). Default DATA_DIR/media. */
  @IsOptional()
  @IsString()
  @MinLength(1, { message: 'MEDIA_DIR must not be empty' })
  mediaDir?: string;

  /** Largest media file accepted by POST /media, in bytes (default 50 MiB). */
  @IsInt({ message: 'MEDIA_MAX_BYTES must be an integer between 1 and 10737418240 (10 GiB)' })
  @Min(1, { message: 'MEDIA_MAX_BYTES must be an integer between 1 and 10737418240 (10 GiB)' })
  @Max(10 * 1024 ** 3, { message: 'MEDIA_MAX_BYTES must be an integer between 1 and 10737418240 (10 GiB)' })
  mediaMaxBytes = 50 * 1024 ** 2;
  /** JSON file of the compliance standards (docs/compliance.md); unset means the one shipped with the service. */
  @IsOptional()
  @IsString()
  @MinLength(1, { message: 'COMPLIANCE_THRESHOLDS_FILE must not be empty' })
  complianceThresholdsFile?: string;
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
  checkpointOrigin: 'CHECKPOINT_ORIGIN',
  checkpointEveryEntries: 'CHECKPOINT_EVERY_ENTRIES',
  checkpointIntervalSeconds: 'CHECKPOINT_INTERVAL_SECONDS',
  checkpointSigningKey: 'CHECKPOINT_SIGNING_KEY',
  checkpointSigningKeyFile: 'CHECKPOINT_SIGNING_KEY_FILE',
  publishDir: 'PUBLISH_DIR',
  liveFeedMaxQueue: 'LIVE_FEED_MAX_QUEUE',
  beneficiaryPseudonymKey: 'BENEFICIARY_PSEUDONYM_KEY',
  beneficiaryPseudonymKeyFile: 'BENEFICIARY_PSEUDONYM_KEY_FILE',
  beneficiaryKeyEncryptionKey: 'BENEFICIARY_KEY_ENCRYPTION_KEY',
  beneficiaryKeyEncryptionKeyFile: 'BENEFICIARY_KEY_ENCRYPTION_KEY_FILE',
  mediaDir: 'MEDIA_DIR',
  mediaMaxBytes: 'MEDIA_MAX_BYTES',
  complianceThresholdsFile: 'COMPLIANCE_THRESHOLDS_FILE',
};

const INTEGER_SETTINGS = new Set<keyof AppConfig>(['port', 'databasePoolSize']);
// the transparency log's counts (CHECKPOINT_EVERY_ENTRIES, CHECKPOINT_INTERVAL_SECONDS)
INTEGER_SETTINGS.add('checkpointEveryEntries').add('checkpointIntervalSeconds');
INTEGER_SETTINGS.add('liveFeedMaxQueue');
// the media store's size limit (MEDIA_MAX_BYTES)
INTEGER_SETTINGS.add('mediaMaxBytes');

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
