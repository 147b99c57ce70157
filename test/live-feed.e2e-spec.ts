import { rm } from 'node:fs/promises';
import WebSocket from 'ws';
import { LISTENER_APPLICATION_NAME } from '../apps/api/src/live-feed/live-feed.listener.js';
import { SUBSCRIBER_TOO_SLOW } from '../apps/api/src/live-feed/live-feed.service.js';
import { donationInput, RECORD_DONATION, registerCharity, type TestApp } from './support/test-app.js';
import { liveFeedOf, subscribe, waitForFeed, wsUrl, type LiveSubscription } from './support/live-client.js';
import { publishCheckpoint, startTransparencyApp, type TransparencyApp } from './support/transparency-app.js';

const ENTRY_FIELDS = 'position sequence type charityId occurredAt recordedAt actorKeyId prevHash hash canonicalJson payload reversed reversedBy receiptCode';
const ENTRIES_OF = `subscription Entries($charityId: ID) { ledgerEntryAdded(charityId: $charityId) { ${ENTRY_FIELDS} } }`;
const ALL_ENTRIES = `subscription { ledgerEntryAdded { position sequence charityId } }`;
const CHECKPOINTS = `subscription { checkpointPublished { treeSize rootHash note signedBy createdAt } }`;
/** Small enough that a subscriber which never reads overflows well within 1,000 entries. */
const MAX_QUEUE = 200;

interface Entry {
  position: number;
  sequence: number;
  charityId: string;
  [field: string]: unknown;
}

async function record(app: TestApp, charity: { id: string; apiKey: string }, overrides: Record<string, unknown> = {}): Promise<Entry> {
  const response = await app.gql<{ recordDonation: Entry }>(RECORD_DONATION, { input: donationInput(charity.id, overrides) }, charity.apiKey);
  if (!response.data) throw new Error(JSON.stringify(response.errors));
  return response.data.recordDonation;
}

/** `count` donations as separate requests, `parallel` at a time; returns the elapsed milliseconds. */
async function appendMany(app: TestApp, charity: { id: string; apiKey: string }, count: number, parallel = 10): Promise<number> {
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < count) {
        next += 1;
        await record(app, charity);
      }
    }),
  );
  return performance.now() - started;
}

/** Waits until each service has registered at least `count` entry subscribers. */
async function subscribed(apps: TransparencyApp[], count = 1, what: 'entrySubscribers' | 'checkpointSubscribers' = 'entrySubscribers'): Promise<void> {
  for (const app of apps) await waitForFeed(app.service, `${count} ${what}`, (status) => status[what] >= count);
}

describe('live feed: GraphQL subscriptions fanned out through PostgreSQL LISTEN/NOTIFY', () => {
  let first: TransparencyApp;
  let second: TransparencyApp;
  const open: Array<LiveSubscription<any>> = [];

  function live<Data = Record<string, any>>(app: TransparencyApp, query: string, variables?: Record<string, unknown>, params?: Record<string, unknown>) {
    const subscription = subscribe<Data>(app.baseUrl, query, variables, params);
    open.push(subscription);
    return subscription;
  }

  beforeAll(async () => {
    const settings = { liveFeedMaxQueue: MAX_QUEUE };
    // two instances of the service on one database, as behind a load balancer
    first = await startTransparencyApp({ settings });
    second = await startTransparencyApp({ db: first.db, adminKey: first.adminKey, settings });
  });

  afterEach(async () => {
    await Promise.all(open.splice(0).map((subscription) => subscription.dispose()));
  });

  afterAll(async () => {
    await second?.stop();
    await first?.close();
    if (second) await rm(second.dataDir, { recursive: true, force: true });
  });

  it('delivers an entry appended through one instance to the subscribers of every instance, filtered by charity, public data only', async () => {
    const [gifts, other] = [await registerCharity(first, '甲'), await registerCharity(first, '乙')];
    const onSecond = live<{ ledgerEntryAdded: Entry }>(second, ENTRIES_OF, { charityId: gifts.id });
    const everything = live<{ ledgerEntryAdded: Entry }>(first, ALL_ENTRIES);
    const throughSecond = live<{ ledgerEntryAdded: Entry }>(first, ENTRIES_OF, { charityId: other.id });
    await subscribed([first], 2);
    await subscribed([second], 1);

    const unrelated = await record(first, other);
    const gift = await record(first, gifts, { donor: { name: '李秘密', publishName: false } });
    const fromSecond = await record(second, other);

    const [delivered] = await onSecond.waitFor(1);
    expect(delivered.errors).toBeUndefined();
    // the same public entry the queries show
    const { data } = await second.gql<{ ledgerEntry: Entry }>(`query ($charityId: ID!) { ledgerEntry(charityId: $charityId, sequence: 1) { ${ENTRY_FIELDS} } }`, {
      charityId: gifts.id,
    });
    expect(delivered.data!.ledgerEntryAdded).toEqual(data!.ledgerEntry);
    expect(delivered.data!.ledgerEntryAdded).toMatchObject({ position: gift.position, charityId: gifts.id, receiptCode: null });
    // the donor's name was recorded beside the entry, never in it: nothing of it goes out
    expect(await first.db.query('SELECT name FROM donor_identity WHERE charity_id = $1', [gifts.id])).toEqual([{ name: '李秘密' }]);
    expect(JSON.stringify(onSecond.results)).not.toContain('李秘密');

    // every charity, in position order, including what the other instance appended
    const all = (await everything.waitFor(3)).map((result) => result.data!.ledgerEntryAdded);
    expect(all).toEqual([unrelated, gift, fromSecond].map(({ position, sequence, charityId }) => ({ position, sequence, charityId })));
    expect((await throughSecond.waitFor(2)).map((result) => result.data!.ledgerEntryAdded.position)).toEqual([unrelated.position, fromSecond.position]);
    // the other charity's later entry reached the second instance, which did not pass it to this subscriber
    await waitForFeed(second.service, 'delivery of the last entry', (status) => status.deliveredPosition >= fromSecond.position);
    expect(onSecond.results).toHaveLength(1);
  });

  it('checks an API key given in connectionParams like HTTP does, and refuses a bad one with a clear close reason', async () => {
    const charity = await registerCharity(first);
    const unknownKey = live(first, ENTRIES_OF, { charityId: charity.id }, { authorization: 'Bearer clk_not-a-key' });
    const malformed = live(first, ENTRIES_OF, { charityId: charity.id }, { authorization: 'Basic abc' });
    for (const refused of [unknownKey, malformed]) {
      await refused.ended();
      expect(refused.closed()?.code).toBe(4401);
    }
    expect(unknownKey.closed()?.reason).toBe('The API key is not valid (unknown or revoked).');
    expect(malformed.closed()?.reason).toBe('The authorization connection parameter must be "Bearer <API key>".');

    // a valid key (any role) may subscribe; so may the public, without one
    const withKey = live<{ ledgerEntryAdded: Entry }>(first, ENTRIES_OF, { charityId: charity.id }, { Authorization: `Bearer ${charity.apiKey}` });
    const withoutKey = live<{ ledgerEntryAdded: Entry }>(first, ENTRIES_OF, { charityId: charity.id });
    await waitForFeed(first.service, 'two subscribers', (status) => status.entrySubscribers >= 2);
    const entry = await record(first, charity);
    expect((await withKey.waitFor(1))[0].data!.ledgerEntryAdded.position).toBe(entry.position);
    expect((await withoutKey.waitFor(1))[0].data!.ledgerEntryAdded.position).toBe(entry.position);

    // errors have the same codes as over HTTP
    const unknownCharity = live(first, ENTRIES_OF, { charityId: '00000000-0000-4000-8000-000000000000' });
    const [notFound] = await unknownCharity.waitFor(1);
    expect(notFound.errors?.[0]).toMatchObject({ message: 'No charity has id 00000000-0000-4000-8000-000000000000.', extensions: { code: 'NOT_FOUND' } });
    const query = live(first, '{ charities(first: 1) { totalCount } }');
    await query.ended();
    expect(query.failure()).toEqual([expect.objectContaining({ extensions: { code: 'BAD_REQUEST' } })]);
    const invalid = live(first, 'subscription { ledgerEntryAdded { noSuchField } }');
    await invalid.ended();
    expect(invalid.failure()).toEqual([expect.objectContaining({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })]);
    // over HTTP a subscription is refused, with the way to run it
    const overHttp = await first.gql(ENTRIES_OF, { charityId: charity.id });
    expect(overHttp.errors?.[0]).toMatchObject({
      message: 'Subscriptions run over a WebSocket (graphql-ws protocol) at /graphql, not over HTTP POST.',
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });

  it('publishes each newly signed checkpoint to the subscribers of every instance', async () => {
    const charity = await registerCharity(first);
    const onFirst = live<{ checkpointPublished: { treeSize: number; rootHash: string; note: string } }>(first, CHECKPOINTS);
    const onSecond = live<{ checkpointPublished: { treeSize: number; rootHash: string; note: string } }>(second, CHECKPOINTS);
    await subscribed([first, second], 1, 'checkpointSubscribers');
    await record(first, charity);
    const signed = await publishCheckpoint(first);
    for (const subscription of [onFirst, onSecond]) {
      const [result] = await subscription.waitFor(1);
      expect(result.data!.checkpointPublished).toMatchObject({ treeSize: signed.treeSize, rootHash: signed.rootHash, note: signed.note });
    }
  });

  it('signs on schedule and the subscriber hears of it (CHECKPOINT_EVERY_ENTRIES)', async () => {
    const scheduled = await startTransparencyApp({ settings: { checkpointEveryEntries: 3, checkpointIntervalSeconds: 3600 } });
    try {
      const charity = await registerCharity(scheduled);
      const subscription = live<{ checkpointPublished: { treeSize: number } }>(scheduled, CHECKPOINTS);
      await subscribed([scheduled], 1, 'checkpointSubscribers');
      for (let index = 0; index < 3; index++) await record(scheduled, charity);
      const [result] = await subscription.waitFor(1);
      expect(result.data!.checkpointPublished.treeSize).toBe(3);
    } finally {
      await Promise.all(open.splice(0).map((subscription) => subscription.dispose()));
      await scheduled.close();
    }
  });

  it('does not let a subscriber that never reads slow the appends or the other subscribers, and disconnects it', async () => {
    const [warmUp, watched] = [await registerCharity(first, '基线'), await registerCharity(first, '观察')];
    const baselineReader = live<{ ledgerEntryAdded: Entry }>(second, ENTRIES_OF, { charityId: warmUp.id });
    await subscribed([second], 1);
    const baseline = await appendMany(first, warmUp, 1_000);
    await baselineReader.waitFor(1_000, 60_000);

    // a raw graphql-ws client that subscribes to every entry, then stops reading its socket
    const stalled = new WebSocket(wsUrl(first.baseUrl), 'graphql-transport-ws');
    await new Promise((resolve, reject) => stalled.once('open', resolve).once('error', reject));
    const acknowledged = new Promise((resolve) => stalled.once('message', resolve));
    stalled.send(JSON.stringify({ type: 'connection_init' }));
    await acknowledged;
    // each entry asked for 32 times over, so that the socket's buffers fill within 1,000 entries
    const heavy = Array.from({ length: 32 }, (_, index) => `c${index}: canonicalJson p${index}: payload`).join(' ');
    stalled.send(JSON.stringify({ id: 'all', type: 'subscribe', payload: { query: `subscription { ledgerEntryAdded { ${heavy} } }` } }));
    await waitForFeed(first.service, 'the stalled subscriber', (status) => status.entrySubscribers >= 1);
    let stalledReceived = 0;
    stalled.on('message', () => (stalledReceived += 1));
    const closed = new Promise<{ code: number; reason: string }>((resolve) => stalled.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    stalled.pause();

    const reader = live<{ ledgerEntryAdded: Entry }>(first, ENTRIES_OF, { charityId: watched.id });
    await waitForFeed(first.service, 'the reader', (status) => status.entrySubscribers >= 2);
    const overflowsBefore = liveFeedOf(first.service).status().overflows;
    // once cut off, it reads again (within the server's grace for a closing socket) to see why
    const cutOff = waitForFeed(first.service, 'the stalled subscriber to be dropped', (status) => status.overflows > overflowsBefore, 60_000).then(
      () => stalled.resume(),
    );
    const withStalled = await appendMany(first, watched, 1_000);

    // the appends did not wait for the stalled subscriber (a generous bound: the machine is shared)
    expect(withStalled).toBeLessThan(baseline * 3 + 3_000);
    // the reader got every entry, in order
    const received = (await reader.waitFor(1_000, 60_000)).map((result) => result.data!.ledgerEntryAdded.sequence);
    expect(received).toEqual(Array.from({ length: 1_000 }, (_, index) => index + 1));
    // the stalled one fell more than LIVE_FEED_MAX_QUEUE entries behind: it was cut off, not buffered
    await cutOff;
    expect(liveFeedOf(first.service).status().entrySubscribers).toBe(1);
    const { code, reason } = await closed;
    expect(code).toBe(SUBSCRIBER_TOO_SLOW);
    expect(reason).toBe(`Too slow: more than ${MAX_QUEUE} events waited to be sent. Reconnect, and catch up with queries.`);
    // what it did get is what the socket had taken before it stalled: far from all 1,000
    expect(stalledReceived).toBeLessThan(1_000);
  });

  it('reconnects its listener when the connection is killed, and catches up on what was appended meanwhile', async () => {
    const charity = await registerCharity(first);
    const subscription = live<{ ledgerEntryAdded: Entry }>(second, ENTRIES_OF, { charityId: charity.id });
    await subscribed([second], 1);
    // the charity's books are loaded, so that the append below takes milliseconds
    const warmUp = await record(first, charity);
    expect((await subscription.waitFor(1))[0].data!.ledgerEntryAdded.position).toBe(warmUp.position);
    const before = liveFeedOf(second.service).status();
    expect(before.listenerProcessId).not.toBeNull();

    const [{ terminated }] = await first.db.query<{ terminated: boolean }>('SELECT pg_terminate_backend($1) AS terminated', [before.listenerProcessId]);
    expect(terminated).toBe(true);
    // appended (one transaction) while the second instance has no listening connection: its
    // notice reaches nobody there, and the reconnection (after at least ~190 ms) must catch up
    const response = await first.gql<{ recordDonations: Entry[] }>(
      `mutation ($inputs: [RecordDonationInput!]!) { recordDonations(inputs: $inputs) { position } }`,
      { inputs: [donationInput(charity.id), donationInput(charity.id)] },
      charity.apiKey,
    );
    const entries = response.data!.recordDonations;

    const results = await subscription.waitFor(3);
    expect(results.slice(1).map((result) => result.data!.ledgerEntryAdded.position)).toEqual(entries.map((entry) => entry.position));
    const after = await waitForFeed(second.service, 'the listener to be back', (status) => status.listening);
    expect(after.reconnections).toBe(before.reconnections + 1);
    expect(after.listenerProcessId).not.toBe(before.listenerProcessId);
    const sessions = await first.db.query('SELECT application_name FROM pg_stat_activity WHERE pid = $1', [after.listenerProcessId]);
    expect(sessions).toEqual([{ application_name: LISTENER_APPLICATION_NAME }]);

    // and it hears new notices again
    const later = await record(first, charity);
    expect((await subscription.waitFor(4))[3].data!.ledgerEntryAdded.position).toBe(later.position);
  });
});
