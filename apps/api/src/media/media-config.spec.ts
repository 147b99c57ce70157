import { ConfigError, loadConfig } from '../config/app-config.js';

describe('media settings', () => {
  it('given no environment, when loaded, then uploads are limited to 50 MiB and MEDIA_DIR follows DATA_DIR', () => {
    const config = loadConfig({});
    expect(config.mediaMaxBytes).toBe(52_428_800);
    expect(config.mediaDir).toBeUndefined();
  });

  it('given MEDIA_DIR and MEDIA_MAX_BYTES, when loaded, then each setting takes it', () => {
    expect(loadConfig({ MEDIA_DIR: '/srv/media', MEDIA_MAX_BYTES: '1048576' })).toMatchObject({ mediaDir: '/srv/media', mediaMaxBytes: 1_048_576 });
  });

  it.each(['0', '-5', '1.5', 'lots', String(10 * 1024 ** 3 + 1)])('given MEDIA_MAX_BYTES=%s, when loaded, then start-up stops naming it', (value) => {
    expect(() => loadConfig({ MEDIA_MAX_BYTES: value })).toThrow(ConfigError);
    expect(() => loadConfig({ MEDIA_MAX_BYTES: value })).toThrow('MEDIA_MAX_BYTES must be an integer between 1 and 10737418240');
  });
});
