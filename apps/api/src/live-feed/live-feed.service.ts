import {
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
  type OnModuleInit,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type pg from 'pg';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { LedgerEntry, toLedgerEntry } from '../ledger/dto/ledger-entry.type.js';
import { ENTRY_COLUMNS, ENTRY_FROM, recordFromRow, type EntryRow } from '../ledger/ledger-entry.mapper.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { CHECKPOINT_CHANNEL, CheckpointsService } from '../transparency/checkpoints.service.js';
import { Checkpoint, toCheckpoint } from '../transparency/dto/checkpoint.type.js';
import { LiveFeedListener } from './live-feed.listener.js';
import { decodeCheckpointNotice, decodeEntriesNotice, ENTRIES_CHANNEL } from './live-feed.notifications.js';
import { LiveFeedProjector } from './live-feed.projector.js';
import { LiveQueue } from './live-queue.js';

/**
 * WebSocket close code for a subscriber that fell more than LIVE_FEED_MAX_QUEUE
 * events behind (4000–4999 are the application's; 413 as in "too large").
 */
export const SUBSCRIBER_TOO_SLOW = 4413;

/** Entries read per query; a catch-up after a long disconnection reads several pages. */
const PAGE = 500;
const CHECKPOINT_PAGE = 100;
const MAX_RETRY_MS = 10_000;

/** The WebSocket a subscription runs on, as far as the feed needs it. */
export interface LiveConnection {
  close(code: number, reason: string): void;
}

export interface LiveFeedStatus {
  /** Whether the listening connection is up. */
  listening: boolean;
  /** Server process of the listening connection (pg_stat_activity.pid); null while reconnecting. */
  listenerProcessId: number | null;
  /** Times the listening connection was re-established. */
  reconnections: number;
  /** Entries up to this global position have been handed to subscribers (or needed by none). */
  deliveredPosition: number;
  entrySubscribers: number;
  checkpointSubscribers: number;
  /** Subscribers disconnected for falling too far behind, since start. */
  overflows: number;
}

/**
 * The live feed of one service instance. Appends announce their entries with
 * NOTIFY (LiveFeedProjector) and every instance LISTENs on one dedicated
 * connection; on each notice it reads the new entries once, with one query for
 * all its subscribers, and hands them to each matching subscriber's bounded queue
 * in position order. Nothing here runs on the append path, and nothing waits for a
 * subscriber: one that falls too far behind is disconnected (SUBSCRIBER_TOO_SLOW).
 */
@Injectable()
export class LiveFeedService implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('LiveFeed');
  private listener: LiveFeedListener | null = null;
  private closed = false;

  /** Subscribers by charity id; key null: every charity. */
  private readonly entrySubscribers = new Map<string | null, Set<LiveQueue<LedgerEntry>>>();
  private readonly checkpointSubscribers = new Set<LiveQueue<Checkpoint>>();
  /** Every queue of each socket: a socket that falls behind has all its subscriptions ended. */
  private readonly connections = new Map<LiveConnection, Set<{ end(): void }>>();

  /** Highest position known to be committed, from notices and catch-ups. */
  private knownPosition = 0;
  private deliveredPosition = 0;
  /** Charities with entries in (delivered, known]; null when not known (read for everyone). */
  private pendingCharities: Set<string> | null = new Set();
  private knownTreeSize = 0;
  private deliveredTreeSize = 0;

  /** Set once the first listening connection has read where the log stands. */
  private started = false;
  private pumping: Promise<void> | null = null;
  private failures = 0;
  private overflows = 0;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly ledger: LedgerService,
    private readonly checkpoints: CheckpointsService,
  ) {}

  onModuleInit(): void {
    this.ledger.registerProjector(new LiveFeedProjector());
  }

  async onApplicationBootstrap(): Promise<void> {
    this.listener = new LiveFeedListener(listenerConnection(this.dataSource), [ENTRIES_CHANNEL, CHECKPOINT_CHANNEL], {
      notification: (channel, payload) => this.notified(channel, payload),
      listening: (reconnected) => this.listening(reconnected),
    });
    await this.listener.start();
  }

  // the GraphQL server has closed its sockets by now; the pool closes after this
  async beforeApplicationShutdown(): Promise<void> {
    this.closed = true;
    await this.listener?.stop();
    for (const queue of this.allQueues()) queue.end();
    await this.pumping;
  }

  /** New entries of one charity (or of all, with null), from now on. */
  entries(charityId: string | null, connection: LiveConnection): LiveQueue<LedgerEntry> {
    let group = this.entrySubscribers.get(charityId);
    if (!group) this.entrySubscribers.set(charityId, (group = new Set()));
    const queue: LiveQueue<LedgerEntry> = new LiveQueue(this.config.liveFeedMaxQueue, {
      overflow: () => this.tooSlow(connection, 'entries'),
      ended: () => {
        group.delete(queue);
        if (group.size === 0 && this.entrySubscribers.get(charityId) === group) this.entrySubscribers.delete(charityId);
        this.untrack(connection, queue);
      },
    });
    group.add(queue);
    this.track(connection, queue);
    return queue;
  }

  /** Checkpoints signed from now on (by any instance). */
  newCheckpoints(connection: LiveConnection): LiveQueue<Checkpoint> {
    const queue: LiveQueue<Checkpoint> = new LiveQueue(this.config.liveFeedMaxQueue, {
      overflow: () => this.tooSlow(connection, 'checkpoints'),
      ended: () => {
        this.checkpointSubscribers.delete(queue);
        this.untrack(connection, queue);
      },
    });
    this.checkpointSubscribers.add(queue);
    this.track(connection, queue);
    return queue;
  }

  status(): LiveFeedStatus {
    let entrySubscribers = 0;
    for (const group of this.entrySubscribers.values()) entrySubscribers += group.size;
    return {
      listening: this.listener?.processId != null,
      listenerProcessId: this.listener?.processId ?? null,
      reconnections: this.listener?.reconnections ?? 0,
      deliveredPosition: this.deliveredPosition,
      entrySubscribers,
      checkpointSubscribers: this.checkpointSubscribers.size,
      overflows: this.overflows,
    };
  }

  private track(connection: LiveConnection, queue: { end(): void }): void {
    let queues = this.connections.get(connection);
    if (!queues) this.connections.set(connection, (queues = new Set()));
    queues.add(queue);
  }

  private untrack(connection: LiveConnection, queue: { end(): void }): void {
    const queues = this.connections.get(connection);
    queues?.delete(queue);
    if (queues?.size === 0) this.connections.delete(connection);
  }

  private tooSlow(connection: LiveConnection, what: string): void {
    // the socket is backed up: every subscription on it ends, and it is closed
    const queues = this.connections.get(connection);
    this.connections.delete(connection);
    for (const queue of queues ?? []) queue.end();
    this.overflows += 1;
    const limit = this.config.liveFeedMaxQueue;
    this.logger.warn(`live feed: a subscriber to ${what} fell more than ${limit} events behind and was disconnected`);
    // a close reason holds at most 123 bytes
    connection.close(SUBSCRIBER_TOO_SLOW, `Too slow: more than ${limit} events waited to be sent. Reconnect, and catch up with queries.`);
  }

  private *allQueues(): Iterable<{ end(): void }> {
    for (const group of this.entrySubscribers.values()) yield* group;
    yield* this.checkpointSubscribers;
  }

  private notified(channel: string, payload: string): void {
    if (channel === ENTRIES_CHANNEL) {
      const notice = decodeEntriesNotice(payload);
      if (!notice || notice.last <= this.knownPosition) return;
      // positions between the last known one and this batch were never announced to us
      if (notice.first > this.knownPosition + 1 || notice.charityIds === null) this.pendingCharities = null;
      else if (this.pendingCharities) for (const id of notice.charityIds) this.pendingCharities.add(id);
      this.knownPosition = notice.last;
    } else if (channel === CHECKPOINT_CHANNEL) {
      const treeSize = decodeCheckpointNotice(payload);
      if (treeSize === null || treeSize <= this.knownTreeSize) return;
      this.knownTreeSize = treeSize;
    }
    this.kick();
  }

  /** On the first connection, starts from the log as it is; after a reconnection, catches up. */
  private async listening(reconnected: boolean): Promise<void> {
    const [heads] = (await this.dataSource.query(
      `SELECT (SELECT coalesce(max(position), 0) FROM ledger_entry) AS position,
              (SELECT coalesce(max(tree_size), 0) FROM checkpoint) AS tree_size`,
    )) as Array<{ position: string; tree_size: string }>;
    const [position, treeSize] = [Number(heads.position), Number(heads.tree_size)];
    if (!reconnected) {
      // what was committed before now is not news; notices heard meanwhile may be
      this.deliveredPosition = position;
      this.knownPosition = Math.max(this.knownPosition, position);
      this.deliveredTreeSize = treeSize;
      this.knownTreeSize = Math.max(this.knownTreeSize, treeSize);
      this.started = true;
      this.kick();
      return;
    }
    if (position > this.knownPosition) {
      // what was committed while nobody listened: which charities is not known
      this.knownPosition = position;
      this.pendingCharities = null;
    }
    this.knownTreeSize = Math.max(this.knownTreeSize, treeSize);
    this.kick();
  }

  // One delivery loop at a time: notices that arrive meanwhile only raise the known
  // position, so a burst of appends costs one read per page, not one per notice.
  private kick(): void {
    if (this.pumping || this.closed || !this.started) return;
    this.pumping = this.pump().finally(() => {
      this.pumping = null;
      if (this.deliveredPosition < this.knownPosition || this.deliveredTreeSize < this.knownTreeSize) this.kick();
    });
  }

  private async pump(): Promise<void> {
    while (!this.closed) {
      try {
        if (this.deliveredPosition < this.knownPosition) await this.deliverEntries();
        else if (this.deliveredTreeSize < this.knownTreeSize) await this.deliverCheckpoints();
        else return;
        this.failures = 0;
      } catch (error) {
        if (this.closed) return;
        this.failures += 1;
        if (this.failures === 1) this.logger.warn(`live feed: reading new entries failed (${String(error)}); retrying`);
        await new Promise((resolve) => setTimeout(resolve, Math.min(MAX_RETRY_MS, 100 * 2 ** this.failures)));
      }
    }
  }

  private async deliverEntries(): Promise<void> {
    const after = this.deliveredPosition;
    const upTo = Math.min(this.knownPosition, after + PAGE);
    const charities = this.wantedCharities();
    if (charities === null || charities.length > 0) {
      const filter = charities === null ? '' : 'AND e.charity_id = ANY($3::uuid[])';
      const rows = (await this.dataSource.query(
        `SELECT ${ENTRY_COLUMNS} FROM ${ENTRY_FROM} WHERE e.position > $1 AND e.position <= $2 ${filter} ORDER BY e.position`,
        charities === null ? [after, upTo] : [after, upTo, charities],
      )) as EntryRow[];
      for (const row of rows) {
        // mapped once, shared by every subscriber: the public type, nothing from sidecars
        const entry = toLedgerEntry(recordFromRow(row));
        for (const queue of this.entrySubscribers.get(null) ?? []) queue.push(entry);
        for (const queue of this.entrySubscribers.get(entry.charityId) ?? []) queue.push(entry);
      }
      this.deliveredPosition = upTo;
    } else {
      // nobody here wants these charities: nothing to read
      this.deliveredPosition = this.knownPosition;
    }
    if (this.deliveredPosition >= this.knownPosition) this.pendingCharities = new Set();
  }

  /** Charities whose entries to read: null for all, empty for none. */
  private wantedCharities(): string[] | null {
    if ((this.entrySubscribers.get(null)?.size ?? 0) > 0) return null;
    const subscribed = [...this.entrySubscribers.keys()].filter((id): id is string => id !== null);
    const pending = this.pendingCharities;
    return pending === null ? subscribed : subscribed.filter((id) => pending.has(id));
  }

  private async deliverCheckpoints(): Promise<void> {
    if (this.checkpointSubscribers.size === 0) {
      this.deliveredTreeSize = this.knownTreeSize;
      return;
    }
    const upTo = this.knownTreeSize;
    const records = await this.checkpoints.between(this.deliveredTreeSize, upTo, CHECKPOINT_PAGE);
    for (const record of records) {
      const checkpoint = toCheckpoint(record);
      for (const queue of this.checkpointSubscribers) queue.push(checkpoint);
      this.deliveredTreeSize = record.treeSize;
    }
    if (records.length < CHECKPOINT_PAGE) this.deliveredTreeSize = Math.max(this.deliveredTreeSize, upTo);
  }
}

/** The listening connection: the same server, database and role as the pool, outside it. */
function listenerConnection(dataSource: DataSource): pg.ClientConfig {
  const options = dataSource.options as {
    url?: string;
    host?: string;
    port?: number;
    username?: string;
    password?: string;
    database?: string;
    extra?: { options?: string };
  };
  const config: pg.ClientConfig = {
    connectionString: options.url,
    host: options.host,
    port: options.port,
    user: options.username,
    password: options.password,
    database: options.database,
    options: options.extra?.options,
  };
  return Object.fromEntries(Object.entries(config).filter(([, value]) => value !== undefined)) as pg.ClientConfig;
}
