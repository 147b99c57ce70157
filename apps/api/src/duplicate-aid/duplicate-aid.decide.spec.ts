import { DomainError } from '../common/domain-error.js';
import { aidPeriod } from './duplicate-aid.decide.js';

describe('aidPeriod', () => {
  it('covers whole days in China Standard Time, both ends included', () => {
    const period = aidPeriod({ from: '2026-01-01', to: '2026-03-31' });
    expect(period.start.toISOString()).toBe('2025-12-31T16:00:00.000Z');
    expect(period.end.toISOString()).toBe('2026-03-31T16:00:00.000Z');
  });

  it('takes a single day', () => {
    const period = aidPeriod({ from: '2026-02-28', to: '2026-02-28' });
    expect(period.end.getTime() - period.start.getTime()).toBe(24 * 3600 * 1000);
  });

  it.each([
    [{ from: '2026-02-30', to: '2026-03-01' }, 'period.from'],
    [{ from: '2026-03-01', to: '2026-13-01' }, 'period.to'],
    [{ from: '2026-03-02', to: '2026-03-01' }, 'period.to'],
  ])('refuses %j, naming %s', (input, field) => {
    expect(() => aidPeriod(input)).toThrow(DomainError);
    try {
      aidPeriod(input);
    } catch (error) {
      expect((error as DomainError).field).toBe(field);
    }
  });
});
