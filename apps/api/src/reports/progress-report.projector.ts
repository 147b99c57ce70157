import { ledgerTimestamp } from '@charity-ledger/ledger-core';
import { EntryType, type AppendedEntry, type AppendTransaction, type LedgerProjector } from '../ledger/ledger.types.js';

/** Indexes each new progress report by project and period, in the append transaction. */
export class ProgressReportProjector implements LedgerProjector {
  project(transaction: AppendTransaction, appended: AppendedEntry[]): void {
    const reports = appended.filter((item) => item.entry.type === EntryType.PROGRESS_REPORT_PUBLISHED).map((item) => item.entry);
    if (reports.length === 0) return;
    const period = (payload: Record<string, unknown>) => payload.period as { label: string; start: string; end: string };
    transaction.queue(
      `INSERT INTO progress_report (charity_id, sequence, project_id, period, period_start, period_end, published_at)
       SELECT * FROM unnest($1::uuid[], $2::bigint[], $3::text[], $4::text[], $5::date[], $6::date[], $7::timestamptz[])`,
      [
        reports.map((entry) => entry.charityId),
        reports.map((entry) => entry.sequence),
        reports.map((entry) => entry.payload.projectId),
        reports.map((entry) => period(entry.payload).label),
        reports.map((entry) => period(entry.payload).start),
        reports.map((entry) => period(entry.payload).end),
        reports.map((entry) => ledgerTimestamp(entry.recordedAt)),
      ],
    );
  }
}
