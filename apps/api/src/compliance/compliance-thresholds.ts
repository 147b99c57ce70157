import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CharityKind } from '../charities/charity.entity.js';
import { ConfigError } from '../config/app-config.js';
import { compare, fraction, parsePercent, parseYuan, type Fraction } from './exact-arithmetic.js';

/** The file shipped with the service (copied next to the compiled code by the build). */
export const DEFAULT_THRESHOLDS_FILE = fileURLToPath(new URL('./compliance-thresholds.json', import.meta.url));

export interface LegalSource {
  document: string;
  article: string;
  /** YYYY-MM-DD */
  effectiveDate: string;
  summary: string;
}

/** What the year's charitable-activity spending must reach, in a bracket. */
export interface SpendingMinimum {
  /** Fraction of the previous year's total income (Charity Law Art. 61; 2016 rules Art. 9 (四)). */
  percentOfPreviousYearIncome: Fraction | null;
  /** Fraction of the previous year-end net assets (2016 rules Art. 8, 9). */
  percentOfPreviousYearEndNetAssets: Fraction | null;
}

export interface Bracket {
  clause: string;
  /** Fen, inclusive; null: no lower bound. */
  netAssetsAtLeast: bigint | null;
  /** Fen, exclusive; null: no upper bound. */
  netAssetsBelow: bigint | null;
  spending: SpendingMinimum;
  managementMaximum: Fraction;
}

export interface Standard {
  id: string;
  title: string;
  kinds: CharityKind[];
  /** YYYY-MM-DD, inclusive. */
  inForceFrom: string;
  /** YYYY-MM-DD, inclusive; null: still in force. */
  inForceUntil: string | null;
  sources: LegalSource[];
  /** Whether three-year averages may replace the previous year's figures. */
  threeYearAverage: boolean;
  /** Together they cover every amount exactly once. */
  brackets: Bracket[];
  managementExemption: { below: bigint; source: LegalSource } | null;
}

export interface FlagSettings {
  restrictedUnspentMonths: number;
  reversalsPer100EntriesAbove: Fraction;
  reversalsSource: string;
}

export interface ComplianceThresholds {
  version: string;
  currency: string;
  standards: Standard[];
  flags: FlagSettings;
}

/** Problems found in a thresholds document, each naming its place (e.g. `standards[2].brackets[0].netAssetsBelow`). */
export class ThresholdsError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
    this.name = 'ThresholdsError';
  }
}

/** Reads and validates a thresholds file; a problem stops the service with a ConfigError naming the setting and the place. */
export function loadThresholdsFile(file: string, setting = 'COMPLIANCE_THRESHOLDS_FILE'): ComplianceThresholds {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError([`${setting} (${file}): cannot read the compliance thresholds (${(error as Error).message})`]);
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new ConfigError([`${setting} (${file}): not valid JSON (${(error as Error).message})`]);
  }
  try {
    return parseThresholds(document);
  } catch (error) {
    if (error instanceof ThresholdsError) throw new ConfigError(error.problems.map((problem) => `${setting} (${file}): ${problem}`));
    throw error;
  }
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const KINDS = Object.values(CharityKind) as string[];

/** Validates a thresholds document (parsed JSON) and converts its decimals to exact values. */
export function parseThresholds(document: unknown): ComplianceThresholds {
  const problems: string[] = [];
  const at = new Reader(problems);
  const root = at.object(document, '(top level)');
  if (!root) throw new ThresholdsError(problems);

  const version = at.string(root, 'version', 'version');
  const currency = at.string(root, 'currency', 'currency');
  if (currency !== undefined && currency !== 'CNY') problems.push(`currency: "${currency}" — the amounts here are yuan; only CNY is supported`);

  const standards: Standard[] = [];
  const list = at.array(root, 'standards', 'standards');
  list?.forEach((item, index) => {
    const standard = readStandard(at, item, `standards[${index}]`);
    if (standard) standards.push(standard);
  });
  if (list && list.length === 0) problems.push('standards: must list at least one standard');
  checkOverlaps(standards, problems);

  let flags: FlagSettings | undefined;
  const flagsObject = at.object(root.flags, 'flags');
  if (flagsObject) {
    const months = flagsObject.restrictedUnspentMonths;
    if (typeof months !== 'number' || !Number.isInteger(months) || months < 1 || months > 120) {
      problems.push('flags.restrictedUnspentMonths: must be a whole number of months from 1 to 120');
    }
    const reversals = at.percent(flagsObject, 'reversalsPer100EntriesAbove', 'flags.reversalsPer100EntriesAbove');
    const source = at.string(flagsObject, 'reversalsSource', 'flags.reversalsSource');
    if (reversals && source !== undefined && typeof months === 'number') {
      flags = { restrictedUnspentMonths: months, reversalsPer100EntriesAbove: reversals, reversalsSource: source };
    }
  }
  for (const key of Object.keys(root)) {
    if (!['$comment', 'version', 'currency', 'standards', 'flags'].includes(key)) problems.push(`${key}: unknown field`);
  }

  if (problems.length > 0 || version === undefined || currency === undefined || !flags) throw new ThresholdsError(problems);
  return { version, currency, standards, flags };
}

function readStandard(at: Reader, value: unknown, path: string): Standard | undefined {
  const object = at.object(value, path);
  if (!object) return undefined;
  const before = at.problems.length;
  const id = at.string(object, 'id', `${path}.id`);
  if (id !== undefined && !/^[a-z0-9][a-z0-9-]*$/.test(id)) at.problems.push(`${path}.id: "${id}" must be lower-case letters, digits and hyphens`);
  const title = at.string(object, 'title', `${path}.title`);

  const kinds: CharityKind[] = [];
  at.array(object, 'kinds', `${path}.kinds`)?.forEach((kind, index) => {
    if (typeof kind === 'string' && KINDS.includes(kind)) kinds.push(kind as CharityKind);
    else at.problems.push(`${path}.kinds[${index}]: ${JSON.stringify(kind)} is not a charity kind (${KINDS.join(', ')})`);
  });
  if (kinds.length === 0 && at.problems.length === before) at.problems.push(`${path}.kinds: must name at least one charity kind`);

  const inForce = at.object(object.inForce, `${path}.inForce`);
  const from = inForce ? at.date(inForce.from, `${path}.inForce.from`) : undefined;
  const until = inForce && inForce.until !== null ? at.date(inForce.until, `${path}.inForce.until`) : null;
  if (from && until && until < from) at.problems.push(`${path}.inForce.until: ${until} is before inForce.from (${from})`);

  const sources: LegalSource[] = [];
  at.array(object, 'sources', `${path}.sources`)?.forEach((source, index) => {
    const read = readSource(at, source, `${path}.sources[${index}]`);
    if (read) sources.push(read);
  });
  if (sources.length === 0 && at.problems.length === before) at.problems.push(`${path}.sources: must cite at least one legal source`);

  if (typeof object.threeYearAverage !== 'boolean') at.problems.push(`${path}.threeYearAverage: must be true or false`);

  const brackets: Bracket[] = [];
  const list = at.array(object, 'brackets', `${path}.brackets`);
  list?.forEach((bracket, index) => {
    const read = readBracket(at, bracket, `${path}.brackets[${index}]`);
    if (read) brackets.push(read);
  });
  if (list && list.length === 0) at.problems.push(`${path}.brackets: must have at least one bracket`);
  if (brackets.length === list?.length) checkBrackets(brackets, `${path}.brackets`, at.problems);

  let managementExemption: Standard['managementExemption'] = null;
  if (object.managementExemption !== null) {
    const exemption = at.object(object.managementExemption, `${path}.managementExemption`);
    if (exemption) {
      const below = at.amount(exemption, 'below', `${path}.managementExemption.below`);
      const source = readSource(at, exemption.source, `${path}.managementExemption.source`);
      if (below !== undefined && source) managementExemption = { below, source };
    }
  }
  for (const key of Object.keys(object)) {
    if (!['id', 'title', 'kinds', 'inForce', 'sources', 'threeYearAverage', 'brackets', 'managementExemption'].includes(key)) {
      at.problems.push(`${path}.${key}: unknown field`);
    }
  }
  if (at.problems.length > before || id === undefined || title === undefined || !from) return undefined;
  return {
    id,
    title,
    kinds,
    inForceFrom: from,
    inForceUntil: until ?? null,
    sources,
    threeYearAverage: object.threeYearAverage as boolean,
    brackets,
    managementExemption,
  };
}

function readSource(at: Reader, value: unknown, path: string): LegalSource | undefined {
  const object = at.object(value, path);
  if (!object) return undefined;
  const document = at.string(object, 'document', `${path}.document`);
  const article = at.string(object, 'article', `${path}.article`);
  const effectiveDate = at.date(object.effectiveDate, `${path}.effectiveDate`);
  const summary = at.string(object, 'summary', `${path}.summary`);
  if (document === undefined || article === undefined || !effectiveDate || summary === undefined) return undefined;
  return { document, article, effectiveDate, summary };
}

function readBracket(at: Reader, value: unknown, path: string): Bracket | undefined {
  const object = at.object(value, path);
  if (!object) return undefined;
  const before = at.problems.length;
  const clause = at.string(object, 'clause', `${path}.clause`);
  const netAssetsAtLeast = object.netAssetsAtLeast === null ? null : at.amount(object, 'netAssetsAtLeast', `${path}.netAssetsAtLeast`);
  const netAssetsBelow = object.netAssetsBelow === null ? null : at.amount(object, 'netAssetsBelow', `${path}.netAssetsBelow`);
  const spendingObject = at.object(object.spending, `${path}.spending`);
  let spending: SpendingMinimum | undefined;
  if (spendingObject) {
    const income = 'percentOfPreviousYearIncome' in spendingObject ? at.percent(spendingObject, 'percentOfPreviousYearIncome', `${path}.spending.percentOfPreviousYearIncome`) : null;
    const netAssets =
      'percentOfPreviousYearEndNetAssets' in spendingObject
        ? at.percent(spendingObject, 'percentOfPreviousYearEndNetAssets', `${path}.spending.percentOfPreviousYearEndNetAssets`)
        : null;
    for (const key of Object.keys(spendingObject)) {
      if (!['percentOfPreviousYearIncome', 'percentOfPreviousYearEndNetAssets'].includes(key)) at.problems.push(`${path}.spending.${key}: unknown field`);
    }
    if (income === null && netAssets === null) at.problems.push(`${path}.spending: must give percentOfPreviousYearIncome, percentOfPreviousYearEndNetAssets or both`);
    if (income !== undefined && netAssets !== undefined) spending = { percentOfPreviousYearIncome: income, percentOfPreviousYearEndNetAssets: netAssets };
  }
  const managementMaximum = at.percent(object, 'managementMaximumPercent', `${path}.managementMaximumPercent`);
  for (const key of Object.keys(object)) {
    if (!['clause', 'netAssetsAtLeast', 'netAssetsBelow', 'spending', 'managementMaximumPercent'].includes(key)) at.problems.push(`${path}.${key}: unknown field`);
  }
  if (at.problems.length > before || clause === undefined || netAssetsAtLeast === undefined || netAssetsBelow === undefined || !spending || !managementMaximum) {
    return undefined;
  }
  return { clause, netAssetsAtLeast, netAssetsBelow, spending, managementMaximum };
}

/**
 * Brackets may be listed in any order (the rules list them from the highest down);
 * taken from the lowest up they must run from no lower bound to no upper bound,
 * each starting where the previous one stops, so that every amount falls in
 * exactly one.
 */
function checkBrackets(brackets: Bracket[], path: string, problems: string[]): void {
  const ordered = [...brackets].sort((a, b) =>
    a.netAssetsAtLeast === b.netAssetsAtLeast ? 0 : a.netAssetsAtLeast === null ? -1 : b.netAssetsAtLeast === null ? 1 : a.netAssetsAtLeast < b.netAssetsAtLeast ? -1 : 1,
  );
  const name = (bracket: Bracket) => `${path}[${brackets.indexOf(bracket)}] (${bracket.clause})`;
  if (ordered[0].netAssetsAtLeast !== null) problems.push(`${path}: one bracket must have no lower bound (netAssetsAtLeast null)`);
  if (ordered.filter((bracket) => bracket.netAssetsBelow === null).length !== 1) {
    problems.push(`${path}: exactly one bracket must have no upper bound (netAssetsBelow null)`);
  }
  ordered.forEach((bracket, index) => {
    if (bracket.netAssetsAtLeast !== null && bracket.netAssetsBelow !== null && bracket.netAssetsBelow <= bracket.netAssetsAtLeast) {
      problems.push(`${name(bracket)}: netAssetsBelow must be above netAssetsAtLeast`);
    }
    const next = ordered[index + 1];
    if (next && next.netAssetsAtLeast !== bracket.netAssetsBelow) {
      problems.push(
        `${name(next)}: netAssetsAtLeast must equal netAssetsBelow of ${name(bracket)}, so that every amount falls in exactly one bracket (a gap or an overlap)`,
      );
    }
  });
}

/** No two standards may apply to the same kind on the same day. */
function checkOverlaps(standards: Standard[], problems: string[]): void {
  standards.forEach((a, i) => {
    standards.slice(i + 1).forEach((b) => {
      if (a.id === b.id) problems.push(`standards: id "${a.id}" is used twice`);
      const shared = a.kinds.filter((kind) => b.kinds.includes(kind));
      const overlap = a.inForceFrom <= (b.inForceUntil ?? '9999-12-31') && b.inForceFrom <= (a.inForceUntil ?? '9999-12-31');
      if (shared.length > 0 && overlap) {
        problems.push(`standards: "${a.id}" and "${b.id}" are both in force for ${shared.join(', ')} on the same days; give them inForce periods that do not overlap`);
      }
    });
  });
}

/** Field readers that record a problem (with its path) instead of throwing, so that one start shows every mistake. */
class Reader {
  constructor(readonly problems: string[]) {}

  object(value: unknown, path: string): Record<string, unknown> | undefined {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
    this.problems.push(`${path}: must be an object`);
    return undefined;
  }

  array(object: Record<string, unknown>, key: string, path: string): unknown[] | undefined {
    if (Array.isArray(object[key])) return object[key] as unknown[];
    this.problems.push(`${path}: must be a list`);
    return undefined;
  }

  string(object: Record<string, unknown>, key: string, path: string): string | undefined {
    const value = object[key];
    if (typeof value === 'string' && value.trim().length > 0) return value;
    this.problems.push(`${path}: must be a non-empty string`);
    return undefined;
  }

  date(value: unknown, path: string): string | undefined {
    if (typeof value === 'string' && DATE.test(value) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value)) return value;
    this.problems.push(`${path}: ${JSON.stringify(value)} is not a date (YYYY-MM-DD)`);
    return undefined;
  }

  amount(object: Record<string, unknown>, key: string, path: string): bigint | undefined {
    const value = object[key];
    try {
      if (typeof value !== 'string') throw new RangeError('');
      const fen = parseYuan(value);
      if (fen < 0n) throw new RangeError('');
      return fen;
    } catch {
      this.problems.push(`${path}: ${JSON.stringify(value)} is not an amount in yuan as a string, e.g. "5000000.00"`);
      return undefined;
    }
  }

  percent(object: Record<string, unknown>, key: string, path: string): Fraction | undefined {
    const value = object[key];
    try {
      if (typeof value !== 'string') throw new RangeError('');
      const percent = parsePercent(value);
      if (compare(percent, fraction(1n)) > 0) throw new RangeError('');
      return percent;
    } catch {
      this.problems.push(`${path}: ${JSON.stringify(value)} is not a percentage from 0 to 100 as a string, e.g. "70" or "6.5"`);
      return undefined;
    }
  }
}

/** The standard in force for a kind on a day, if any. */
export function standardFor(thresholds: ComplianceThresholds, kind: CharityKind, day: string): Standard | undefined {
  return thresholds.standards.find((standard) => standard.kinds.includes(kind) && standard.inForceFrom <= day && (standard.inForceUntil === null || day <= standard.inForceUntil));
}
