import { DomainError } from '../common/domain-error.js';
import type { PublishProgressReportInput } from './dto/publish-progress-report.input.js';
import { checkProgressReport, decideProgressReport, financialSummary, nextDay, parsePeriod } from './report.decide.js';

const input = (period: string, extra: Partial<PublishProgressReportInput> = {}): PublishProgressReportInput =>
  ({
    charityId: '534fddad-54e5-4aa9-bfbb-e2f52cad7531',
    idempotencyKey: 'r-1',
    projectId: 'P',
    period,
    narrative: '  text  ',
    indicators: [],
    media: [],
    ...extra,
  }) as PublishProgressReportInput;
const PROJECT = { startDate: '2026-02-15', endDate: '2026-08-10' };
const NOW = new Date('2026-11-28T21:00:00.000Z'); // 2026-11-29 in Shenzhen

describe('progress report decisions', () => {
  it('reads months and quarters as their first and last days', () => {
    expect(parsePeriod('2026-02', 'p')).toEqual({ kind: 'MONTH', label: '2026-02', start: '2026-02-01', end: '2026-02-28' });
    expect(parsePeriod('2028-02', 'p').end).toBe('2028-02-29');
    expect(parsePeriod('2026-Q4', 'p')).toEqual({ kind: 'QUARTER', label: '2026-Q4', start: '2026-10-01', end: '2026-12-31' });
    expect(() => parsePeriod('2026-00', 'input.period')).toThrow(/input\.period/);
    expect(() => parsePeriod('2026-Q5', 'input.period')).toThrow(DomainError);
    expect(nextDay('2026-12-31')).toBe('2027-01-01');
  });

  it('takes periods that overlap the project and have ended (in Shenzhen time)', () => {
    expect(checkProgressReport(input('2026-Q1'), PROJECT, NOW).label).toBe('2026-Q1');
    expect(checkProgressReport(input('2026-08'), PROJECT, NOW).label).toBe('2026-08');
    expect(() => checkProgressReport(input('2026-01'), PROJECT, NOW)).toThrow(/outside the project's dates/);
    expect(() => checkProgressReport(input('2026-09'), PROJECT, NOW)).toThrow(/outside the project's dates/);
    expect(() => checkProgressReport(input('2026-11'), { ...PROJECT, endDate: '2026-12-31' }, NOW)).toThrow(/has not ended yet.*2026-12-01/);
    // 2026-11-30T16:00Z is already 1 December in Shenzhen: November has ended
    expect(checkProgressReport(input('2026-11'), { ...PROJECT, endDate: '2026-12-31' }, new Date('2026-11-30T16:00:00.000Z')).label).toBe('2026-11');
    expect(() => checkProgressReport(input('2027-Q1'), { ...PROJECT, endDate: '2027-12-31' }, NOW)).toThrow(/in the future/);
  });

  it('refuses a file listed twice and consent references that look like phone or ID numbers', () => {
    const media = (consentReferences: string[]) => ({ sha256: 'a'.repeat(64), caption: 'c', consentReferences });
    expect(() => checkProgressReport(input('2026-03', { media: [media([]), media([])] }), PROJECT, NOW)).toThrow(/input\.media\[1\]\.sha256/);
    expect(() => checkProgressReport(input('2026-03', { media: [media(['ID-44030419900101123X'])] }), PROJECT, NOW)).toThrow(/consentReferences\[0\]/);
    expect(checkProgressReport(input('2026-03', { media: [media(['CONSENT-2026-0001'])] }), PROJECT, NOW).label).toBe('2026-03');
  });

  it('puts the summary inside the payload, and keeps the request hash free of it', () => {
    const summary = financialSummary(
      {
        receivedCash: 1n,
        receivedInKind: 2n,
        refunded: 3n,
        spentCharitableActivity: 4n,
        spentManagement: 5n,
        spentFundraising: 6n,
        spentTotal: 15n,
        goodsDisbursedQuantity: 7n,
        goodsDisbursedValue: 8n,
        beneficiariesReached: 9,
      },
      'CNY',
    );
    const period = parsePeriod('2026-03', 'p');
    const draft = decideProgressReport(input('2026-03'), period, summary, NOW);
    expect(draft.payload).toMatchObject({ projectId: 'P', narrative: 'text', financialSummary: { spent: { total: { currency: 'CNY', minorUnits: 15 } }, beneficiariesReached: 9 } });
    expect(decideProgressReport(input('2026-03'), period, { ...summary, beneficiariesReached: 10 }, NOW).requestHash).toBe(draft.requestHash);
  });
});
