import { ConfigError, loadConfig } from '../config/app-config.js';

describe('transparency settings', () => {
  it('given no environment, when loaded, then checkpoints come every 1,000 entries or 30 s under a default origin', () => {
    expect(loadConfig({})).toMatchObject({
      checkpointOrigin: 'localhost/charity-ledger',
      checkpointEveryEntries: 1_000,
      checkpointIntervalSeconds: 30,
      checkpointSigningKey: undefined,
      checkpointSigningKeyFile: undefined,
      publishDir: undefined,
    });
  });

  it('given every variable, when loaded, then each setting takes it', () => {
    expect(
      loadConfig({
        CHECKPOINT_ORIGIN: 'ledger.example.org/charity',
        CHECKPOINT_EVERY_ENTRIES: '250',
        CHECKPOINT_INTERVAL_SECONDS: '5',
        CHECKPOINT_SIGNING_KEY_FILE: '/run/secrets/checkpoint-key',
        PUBLISH_DIR: '/srv/www/ledger',
      }),
    ).toMatchObject({
      checkpointOrigin: 'ledger.example.org/charity',
      checkpointEveryEntries: 250,
      checkpointIntervalSeconds: 5,
      checkpointSigningKeyFile: '/run/secrets/checkpoint-key',
      publishDir: '/srv/www/ledger',
    });
  });

  it.each([
    ['CHECKPOINT_ORIGIN', 'has a space', 'CHECKPOINT_ORIGIN must be 1 to 255 printable ASCII characters'],
    ['CHECKPOINT_ORIGIN', 'a+b', 'CHECKPOINT_ORIGIN must be'],
    ['CHECKPOINT_EVERY_ENTRIES', '0', 'CHECKPOINT_EVERY_ENTRIES must be an integer between 1 and 10000000'],
    ['CHECKPOINT_EVERY_ENTRIES', 'many', 'CHECKPOINT_EVERY_ENTRIES must be an integer'],
    ['CHECKPOINT_INTERVAL_SECONDS', '86401', 'CHECKPOINT_INTERVAL_SECONDS must be an integer between 1 and 86400'],
    ['CHECKPOINT_SIGNING_KEY', 'localhost+abcd+AAAA', 'CHECKPOINT_SIGNING_KEY must be a C2SP signer key'],
  ])('given %s=%s, when loaded, then start-up stops naming the setting', (variable, value, message) => {
    expect(() => loadConfig({ [variable]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [variable]: value })).toThrow(message);
  });
});
