import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CharityKind } from '../charities/charity.entity.js';
import { ConfigError } from '../config/app-config.js';
import { DEFAULT_THRESHOLDS_FILE, loadThresholdsFile, parseThresholds, standardFor, ThresholdsError } from './compliance-thresholds.js';

const shipped = (): Record<string, any> => JSON.parse(readFileSync(DEFAULT_THRESHOLDS_FILE, 'utf8'));

function problemsOf(document: unknown): string[] {
  try {
    parseThresholds(document);
  } catch (error) {
    if (error instanceof ThresholdsError) return error.problems;
    throw error;
  }
  return [];
}

describe('compliance thresholds data', () => {
  it('ships a valid file with a standard for every kind of charity today, amounts exact to the fen', () => {
    const thresholds = parseThresholds(shipped());
    for (const kind of Object.values(CharityKind)) expect(standardFor(thresholds, kind, '2026-11-28')).toBeDefined();
    const art9 = thresholds.standards.find((standard) => standard.id === 'mca-2016-art9')!;
    expect(art9.brackets.map((bracket) => [bracket.netAssetsAtLeast, bracket.netAssetsBelow])).toEqual([
      [1_000_000_000n, null],
      [500_000_000n, 1_000_000_000n],
      [100_000_000n, 500_000_000n],
      [null, 100_000_000n],
    ]);
    expect(art9.managementExemption?.below).toBe(20_000_000n);
    expect(thresholds.standards.find((standard) => standard.id === 'charity-law-2023-art61')!.managementExemption).toBeNull();
  });

  it('names the place of every problem: a gap between brackets, a number instead of a string, an unknown kind', () => {
    const document = shipped();
    document.standards[3].brackets[1].netAssetsAtLeast = '5000000.01';
    document.standards[3].brackets[0].managementMaximumPercent = 13;
    document.standards[2].kinds.push('CHURCH');
    expect(problemsOf(document)).toEqual([
      'standards[2].kinds[1]: "CHURCH" is not a charity kind (PUBLIC_FUNDRAISING_FOUNDATION, NON_PUBLIC_FUNDRAISING_FOUNDATION, SOCIAL_ORGANISATION, SOCIAL_SERVICE_AGENCY)',
      'standards[3].brackets[0].managementMaximumPercent: 13 is not a percentage from 0 to 100 as a string, e.g. "70" or "6.5"',
    ]);
    const gap = shipped();
    gap.standards[3].brackets[1].netAssetsAtLeast = '5000000.01';
    expect(problemsOf(gap)).toEqual([
      'standards[3].brackets[1] (第九条（二）): netAssetsAtLeast must equal netAssetsBelow of standards[3].brackets[2] (第九条（三）), so that every amount falls in exactly one bracket (a gap or an overlap)',
    ]);
  });

  it('refuses two standards in force for the same kind on the same day, and percentages over 100', () => {
    const overlapping = shipped();
    overlapping.standards[0].inForce.until = '2024-09-05';
    expect(problemsOf(overlapping)).toEqual([
      'standards: "charity-law-2016-art60" and "charity-law-2023-art61" are both in force for PUBLIC_FUNDRAISING_FOUNDATION on the same days; give them inForce periods that do not overlap',
    ]);
    const tooMuch = shipped();
    tooMuch.standards[1].brackets[0].spending.percentOfPreviousYearIncome = '170';
    expect(problemsOf(tooMuch)).toEqual(['standards[1].brackets[0].spending.percentOfPreviousYearIncome: "170" is not a percentage from 0 to 100 as a string, e.g. "70" or "6.5"']);
  });

  it('a bad file stops the start with a ConfigError naming the setting and the file', () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'thresholds-'));
    try {
      const file = path.join(directory, 'thresholds.json');
      writeFileSync(file, '{ "version": ');
      expect(() => loadThresholdsFile(file)).toThrow(ConfigError);
      expect(() => loadThresholdsFile(file)).toThrow(`COMPLIANCE_THRESHOLDS_FILE (${file}): not valid JSON`);
      const document = shipped();
      delete document.standards[1].sources;
      writeFileSync(file, JSON.stringify(document));
      expect(() => loadThresholdsFile(file)).toThrow(`COMPLIANCE_THRESHOLDS_FILE (${file}): standards[1].sources: must be a list`);
      expect(() => loadThresholdsFile(path.join(directory, 'missing.json'))).toThrow('cannot read the compliance thresholds');
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
