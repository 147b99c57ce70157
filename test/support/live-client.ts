import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { LiveFeedService, type LiveFeedStatus } from '../../apps/api/src/live-feed/live-feed.service.js';
import type { Service } from '../../apps/api/src/service.js';

// A real graphql-ws client (the `ws` package as its WebSocket) against a service
// that listens on a port, and a way to wait until the service has registered a
// subscription, so that a test never appends before anyone listens.

interface CloseInfo {
  code: number;
  reason: string;
}

export interface Received<Data> {
  data?: Data | null;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

export interface LiveSubscription<Data> {
  /** Results in the order received. */
  results: Array<Received<Data>>;
  /** The close event, if the socket closed. */
  closed(): { code: number; reason: string } | null;
  /** An error the subscription ended with (e.g. a close event, or GraphQL errors). */
  failure(): unknown;
  /** Waits until `count` results have arrived. */
  waitFor(count: number, timeoutMs?: number): Promise<Array<Received<Data>>>;
  /** Waits until the subscription has ended (completed or failed). */
  ended(timeoutMs?: number): Promise<void>;
  client: Client;
  dispose(): Promise<void>;
}

export function wsUrl(baseUrl: string): string {
  return `${baseUrl.replace(/^http/, 'ws')}/graphql`;
}

export function subscribe<Data = Record<string, any>>(
  baseUrl: string,
  query: string,
  variables: Record<string, unknown> = {},
  connectionParams?: Record<string, unknown>,
): LiveSubscription<Data> {
  const results: Array<Received<Data>> = [];
  let closeEvent: { code: number; reason: string } | null = null;
  let failure: unknown;
  let done = false;
  const client = createClient({
    url: wsUrl(baseUrl),
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    on: { closed: (event) => (closeEvent = { code: (event as CloseInfo).code, reason: String((event as CloseInfo).reason) }) },
  });
  client.subscribe<Data>(
    { query, variables },
    {
      next: (value) => results.push(value as Received<Data>),
      error: (error) => {
        failure = error;
        done = true;
      },
      complete: () => (done = true),
    },
  );
  const until = async (what: string, condition: () => boolean, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (got ${results.length} results, failure: ${describe(failure)})`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  return {
    results,
    closed: () => closeEvent,
    failure: () => failure,
    waitFor: async (count, timeoutMs = 15_000) => {
      await until(`${count} results`, () => results.length >= count || (done && results.length < count), timeoutMs);
      if (results.length < count) throw new Error(`the subscription ended after ${results.length} of ${count} results: ${describe(failure)}`);
      return results.slice(0, count);
    },
    ended: (timeoutMs = 15_000) => until('the end of the subscription', () => done, timeoutMs),
    client,
    dispose: () => client.dispose() as Promise<void>,
  };
}

function describe(value: unknown): string {
  if (value === undefined) return 'none';
  if (value && typeof value === 'object' && 'code' in value) return `close ${(value as CloseInfo).code} ${(value as CloseInfo).reason}`;
  return JSON.stringify(value) ?? String(value);
}

export function liveFeedOf(service: Service): LiveFeedService {
  return service.app.get(LiveFeedService);
}

/** Waits until the service's live feed satisfies the condition (e.g. a subscriber is registered). */
export async function waitForFeed(service: Service, what: string, condition: (status: LiveFeedStatus) => boolean, timeoutMs = 15_000): Promise<LiveFeedStatus> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = liveFeedOf(service).status();
    if (condition(status)) return status;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(status)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
