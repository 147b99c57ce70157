import { ConfigError, loadConfig } from './app-config.js';

describe('loadConfig', () => {
  it('gives working defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 3000, host: '127.0.0.1', dataDir: './data', logLevel: 'log', databasePoolSize: 10 });
    expect(config.databaseUrl).toBeUndefined();
    expect(config.adminApiKey).toBeUndefined();
  });

  it('reads each setting from its variable', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      DATABASE_URL: 'postgres://app@db:5432/ledger',
      DATA_DIR: '/var/lib/charity-ledger',
      ADMIN_API_KEY: 'x'.repeat(40),
      LOG_LEVEL: 'debug',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      databaseUrl: 'postgres://app@db:5432/ledger',
      dataDir: '/var/lib/charity-ledger',
      adminApiKey: 'x'.repeat(40),
      logLevel: 'debug',
    });
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ PORT: '-1' }, 'PORT'],
    [{ HOST: 'bad host' }, 'HOST'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ DATABASE_MIGRATION_URL: 'localhost' }, 'DATABASE_MIGRATION_URL'],
    [{ ADMIN_API_KEY: 'short' }, 'ADMIN_API_KEY'],
    [{ LOG_LEVEL: 'chatty' }, 'LOG_LEVEL'],
    [{ DATABASE_POOL_SIZE: '1' }, 'DATABASE_POOL_SIZE'],
    [{ LIVE_FEED_MAX_QUEUE: '0' }, 'LIVE_FEED_MAX_QUEUE'],
    [{ LIVE_FEED_MAX_QUEUE: 'lots' }, 'LIVE_FEED_MAX_QUEUE'],
    [{ BENEFICIARY_PSEUDONYM_KEY: 'not-a-key' }, 'BENEFICIARY_PSEUDONYM_KEY'],
    [{ BENEFICIARY_KEY_ENCRYPTION_KEY: Buffer.alloc(16).toString('base64') }, 'BENEFICIARY_KEY_ENCRYPTION_KEY'],
  ])('refuses %p and names %s', (environment, variable) => {
    expect(() => loadConfig(environment)).toThrow(ConfigError);
    try {
      loadConfig(environment);
    } catch (error) {
      expect((error as ConfigError).problems).toHaveLength(1);
      expect((error as ConfigError).problems[0].startsWith(variable)).toBe(true);
    }
  });

  it('bounds each live-feed subscriber to 1,000 waiting events unless told otherwise', () => {
    expect(loadConfig({}).liveFeedMaxQueue).toBe(1_000);
    expect(loadConfig({ LIVE_FEED_MAX_QUEUE: '250' }).liveFeedMaxQueue).toBe(250);
  });

  it('reads the beneficiary platform keys as 32 bytes in base64', () => {
    const key = Buffer.alloc(32, 9).toString('base64');
    const config = loadConfig({ BENEFICIARY_PSEUDONYM_KEY: key, BENEFICIARY_KEY_ENCRYPTION_KEY_FILE: '/run/secrets/kek' });
    expect(config).toMatchObject({ beneficiaryPseudonymKey: key, beneficiaryKeyEncryptionKeyFile: '/run/secrets/kek' });
  });

  it('lists every bad setting at once', () => {
    expect(() => loadConfig({ PORT: 'x', LOG_LEVEL: 'y' })).toThrow(/PORT[\s\S]*LOG_LEVEL|LOG_LEVEL[\s\S]*PORT/);
  });
});
