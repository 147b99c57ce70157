import { Logger } from '@nestjs/common';
import pg from 'pg';

/** How the listener's sessions show up in pg_stat_activity. */
export const LISTENER_APPLICATION_NAME = 'charity-ledger live feed';

const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 10_000;
/** A connection that answers nothing for this long is replaced (a peer gone without a word). */
const PING_EVERY_MS = 30_000;
const PING_TIMEOUT_MS = 10_000;

export interface ListenerHandlers {
  notification(channel: string, payload: string): void;
  /**
   * Called once LISTEN is in place, on the first connection and after every
   * reconnection: whatever was committed while no connection listened must be
   * read now. The listener waits for it before it counts as listening.
   */
  listening(reconnected: boolean): Promise<void>;
}

/**
 * The one PostgreSQL connection of a service instance that LISTENs for the live
 * feed. When it drops (a restart of PostgreSQL, a network cut, an operator ending
 * the session) it reconnects with exponential backoff, and `listening` is called
 * again so that the feed catches up on what it did not hear.
 */
export class LiveFeedListener {
  private readonly logger = new Logger('LiveFeed');
  private client: pg.Client | null = null;
  private closed = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private pingTimer: NodeJS.Timeout | null = null;
  private failures = 0;
  private everListened = false;
  private backendPid: number | null = null;
  /** Connections made after the first one. */
  reconnections = 0;

  constructor(
    private readonly config: pg.ClientConfig,
    private readonly channels: readonly string[],
    private readonly handlers: ListenerHandlers,
  ) {}

  /** The server process of the current listening connection; null while reconnecting. */
  get processId(): number | null {
    return this.backendPid;
  }

  /** First connection: waits for it; when it fails, keeps retrying in the background. */
  async start(): Promise<void> {
    await this.connect();
  }

  async stop(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const client = this.client;
    this.drop();
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    this.retryTimer = null;
    if (this.closed) return;
    const client = new pg.Client({ ...this.config, application_name: LISTENER_APPLICATION_NAME, keepAlive: true });
    this.client = client;
    // one handler for every way a connection ends; `client` tells a stale one apart
    const lost = (reason: string) => this.lost(client, reason);
    client.on('error', (error) => lost(error.message));
    client.on('end', () => lost('the connection was closed'));
    client.on('notification', (message) => {
      if (this.client === client) this.handlers.notification(message.channel, message.payload ?? '');
    });
    try {
      await client.connect();
      for (const channel of this.channels) await client.query(`LISTEN ${client.escapeIdentifier(channel)}`);
      const [{ pid }] = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows;
      if (this.client !== client) return;
      const reconnected = this.everListened;
      await this.handlers.listening(reconnected);
      if (this.client !== client) return;
      if (reconnected) {
        this.reconnections += 1;
        this.logger.log(`live feed: listening again (after ${this.failures} failed attempt(s))`);
      }
      this.everListened = true;
      this.backendPid = pid;
      this.failures = 0;
      this.schedulePing(client);
    } catch (error) {
      lost(error instanceof Error ? error.message : String(error));
    }
  }

  private lost(client: pg.Client, reason: string): void {
    if (this.client !== client) return;
    this.drop();
    client.end().catch(() => undefined);
    if (this.closed) return;
    this.failures += 1;
    const delay = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** (this.failures - 1));
    // only the first failure in a row is a warning; the rest would flood the log
    if (this.failures === 1) this.logger.warn(`live feed: the listening connection was lost (${reason}); reconnecting`);
    this.retryTimer = setTimeout(() => void this.connect(), delay * (0.75 + Math.random() / 2));
    this.retryTimer.unref();
  }

  private drop(): void {
    this.client = null;
    this.backendPid = null;
    if (this.pingTimer) clearTimeout(this.pingTimer);
    this.pingTimer = null;
  }

  private schedulePing(client: pg.Client): void {
    this.pingTimer = setTimeout(() => {
      if (this.client !== client) return;
      const timeout = setTimeout(() => this.lost(client, `no answer to a ping within ${PING_TIMEOUT_MS / 1000} s`), PING_TIMEOUT_MS);
      timeout.unref();
      client.query('SELECT 1').then(
        () => {
          clearTimeout(timeout);
          if (this.client === client) this.schedulePing(client);
        },
        (error: unknown) => {
          clearTimeout(timeout);
          this.lost(client, error instanceof Error ? error.message : String(error));
        },
      );
    }, PING_EVERY_MS);
    this.pingTimer.unref();
  }
}
