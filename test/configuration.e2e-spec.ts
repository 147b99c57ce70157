import { runServiceExpectingFailure } from './support/service-process.js';

describe('configuration at boot', () => {
  it.each([
    [{ PORT: 'eighty' }, 'PORT must be an integer'],
    [{ LOG_LEVEL: 'chatty' }, 'LOG_LEVEL must be one of'],
    [{ DATABASE_URL: 'mysql://db/ledger' }, 'DATABASE_URL must be a postgres://'],
    [{ ADMIN_API_KEY: 'too-short' }, 'ADMIN_API_KEY must be 32 to 256'],
  ])('refuses %p with a message naming the setting', async (env, message) => {
    const { code, output } = await runServiceExpectingFailure(env);
    expect(code).toBe(1);
    expect(output).toContain('Invalid configuration');
    expect(output).toContain(message);
    expect(output).not.toContain('    at '); // a message for the operator, not a stack trace
  });
});
