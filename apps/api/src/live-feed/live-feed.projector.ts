import type { AppendedEntry, AppendTransaction, LedgerProjector } from '../ledger/ledger.types.js';
import { encodeEntriesNotice, ENTRIES_CHANNEL } from './live-feed.notifications.js';

/**
 * Announces each append transaction's entries to every service instance on the
 * database (LISTEN/NOTIFY). PostgreSQL delivers a notification only when its
 * transaction commits, in commit order, so listeners never hear of an entry that
 * was rolled back. The notice is small (a position range and charity ids): each
 * listener reads the entries themselves.
 */
export class LiveFeedProjector implements LedgerProjector {
  project(transaction: AppendTransaction, appended: AppendedEntry[]): void {
    if (appended.length === 0) return;
    transaction.queue('SELECT pg_notify($1, $2)', [
      ENTRIES_CHANNEL,
      encodeEntriesNotice(
        appended.map(({ entry }) => entry.position),
        appended.map(({ entry }) => entry.charityId),
      ),
    ]);
  }
}
