import type { JsonObject } from '@charity-ledger/ledger-core';
import { DomainError } from '../common/domain-error.js';
import { chinaDate } from '../common/input-values.js';
import type { FigureRow } from '../figures/figures.service.js';
import { EntryType, type EntryDraft } from '../ledger/ledger.types.js';
import { requestHash } from '../ledger/request-hash.js';
import type { PublishProgressReportInput } from './dto/publish-progress-report.input.js';

/** A month or a quarter, with its first and last day (inclusive). */
export interface ReportPeriod {
  kind: 'MONTH' | 'QUARTER';
  label: string;
  start: string;
  end: string;
}

/** The figures method a summary was computed with (docs/figures.md); a verifier recomputes with the same. */
export const SUMMARY_METHOD = 'ledger-facts-1';

/** `2026-03` or `2026-Q1`, as a period; throws BAD_USER_INPUT naming `field`. Pure. */
export function parsePeriod(text: string, field: string): ReportPeriod {
  const month = /^(\d{4})-(\d{2})$/.exec(text);
  const quarter = /^(\d{4})-Q([1-4])$/.exec(text);
  if (month && Number(month[2]) >= 1 && Number(month[2]) <= 12) {
    const year = Number(month[1]);
    const index = Number(month[2]) - 1;
    return { kind: 'MONTH', label: text, start: isoDate(year, index, 1), end: lastDay(year, index) };
  }
  if (quarter) {
    const year = Number(quarter[1]);
    const first = (Number(quarter[2]) - 1) * 3;
    return { kind: 'QUARTER', label: text, start: isoDate(year, first, 1), end: lastDay(year, first + 2) };
  }
  throw DomainError.badInput(field, `"${text}" is not a month (2026-03) or a quarter (2026-Q1)`);
}

/** The day after `date` (YYYY-MM-DD). */
export function nextDay(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

function isoDate(year: number, monthIndex: number, day: number): string {
  return new Date(Date.UTC(year, monthIndex, day)).toISOString().slice(0, 10);
}

function lastDay(year: number, monthIndex: number): string {
  return new Date(Date.UTC(year, monthIndex + 1, 0)).toISOString().slice(0, 10);
}

export interface ReportProject {
  startDate: string;
  endDate: string;
}

/**
 * Checks a report request against its project and the clock: the period must have
 * ended (so that its figures are complete) and overlap the project's dates; media
 * and consent references must be well formed. Returns the period. Pure.
 */
export function checkProgressReport(input: PublishProgressReportInput, project: ReportProject, now: Date): ReportPeriod {
  const period = parsePeriod(input.period, 'input.period');
  const today = chinaDate(now);
  if (period.start > today) throw DomainError.badInput('input.period', `${period.label} is in the future`);
  if (period.end >= today) {
    throw DomainError.badInput('input.period', `${period.label} has not ended yet (it ends ${period.end}); report on it from ${nextDay(period.end)}`);
  }
  if (period.end < project.startDate || period.start > project.endDate) {
    throw DomainError.badInput(
      'input.period',
      `${period.label} (${period.start} to ${period.end}) is outside the project's dates (${project.startDate} to ${project.endDate})`,
    );
  }
  const seen = new Set<string>();
  input.media.forEach((media, index) => {
    if (seen.has(media.sha256)) throw DomainError.badInput(`input.media[${index}].sha256`, 'names a file already listed in this report');
    seen.add(media.sha256);
    media.consentReferences.forEach((reference, at) => {
      // long runs of digits are what phone and ID numbers look like: personal data stays off the ledger
      if (/\d{11,}/.test(reference)) {
        throw DomainError.badInput(`input.media[${index}].consentReferences[${at}]`, 'looks like a phone or ID number; use the opaque reference of the consent record');
      }
    });
  });
  return period;
}

/** The period's figures of the project as the report states them (docs/reports.md). Pure. */
export function financialSummary(figures: FigureRow, currency: string): JsonObject {
  const amount = (value: bigint) => {
    const minorUnits = Number(value);
    if (!Number.isSafeInteger(minorUnits)) throw new Error(`amount out of range: ${value}`);
    return { currency, minorUnits };
  };
  return {
    method: SUMMARY_METHOD,
    receivedCash: amount(figures.receivedCash),
    receivedInKind: amount(figures.receivedInKind),
    refunded: amount(figures.refunded),
    spent: {
      charitableActivity: amount(figures.spentCharitableActivity),
      management: amount(figures.spentManagement),
      fundraising: amount(figures.spentFundraising),
      total: amount(figures.spentTotal),
    },
    goodsDisbursed: { quantity: Number(figures.goodsDisbursedQuantity), value: amount(figures.goodsDisbursedValue) },
    beneficiariesReached: figures.beneficiariesReached,
  };
}

/** PROGRESS_REPORT_PUBLISHED, with the financial summary inside what is hashed. Pure. */
export function decideProgressReport(input: PublishProgressReportInput, period: ReportPeriod, summary: JsonObject, now: Date): EntryDraft {
  return {
    type: EntryType.PROGRESS_REPORT_PUBLISHED,
    occurredAt: now,
    idempotencyKey: input.idempotencyKey,
    requestHash: requestHash('publishProgressReport', input),
    payload: {
      projectId: input.projectId,
      period: { kind: period.kind, label: period.label, start: period.start, end: period.end },
      narrative: input.narrative.trim(),
      indicators: input.indicators.map((indicator) => ({
        name: indicator.name.trim(),
        unit: indicator.unit.trim(),
        ...(indicator.baseline !== undefined && indicator.baseline !== null ? { baseline: indicator.baseline } : {}),
        target: indicator.target,
        actual: indicator.actual,
      })),
      media: input.media.map((media) => ({ sha256: media.sha256, caption: media.caption.trim(), consentReferences: media.consentReferences })),
      financialSummary: summary,
    },
  };
}
