import { LiveQueue } from './live-queue.js';

function queue(limit: number) {
  const calls = { overflow: 0, ended: 0 };
  const live = new LiveQueue<number>(limit, { overflow: () => (calls.overflow += 1), ended: () => (calls.ended += 1) });
  return { live, calls };
}

describe('a subscriber queue', () => {
  it('hands events over in the order pushed, whether the consumer waits or lags', async () => {
    const { live } = queue(10);
    const waiting = live.next();
    live.push(1);
    live.push(2);
    live.push(3);
    expect(await waiting).toEqual({ value: 1, done: false });
    expect(await live.next()).toEqual({ value: 2, done: false });
    expect(await live.next()).toEqual({ value: 3, done: false });
    expect(live.size).toBe(0);
  });

  it('never makes the producer wait, and ends a consumer that falls more than `limit` events behind', async () => {
    const { live, calls } = queue(3);
    expect([1, 2, 3].map((value) => live.push(value))).toEqual([true, true, true]);
    expect(calls.overflow).toBe(0);
    // the fourth event finds three waiting: the queue ends instead of growing
    expect(live.push(4)).toBe(false);
    expect(calls).toEqual({ overflow: 1, ended: 1 });
    expect(live.size).toBe(0);
    expect(await live.next()).toEqual({ value: undefined, done: true });
    expect(live.push(5)).toBe(false);
    expect(calls).toEqual({ overflow: 1, ended: 1 });
  });

  it('holds at most `limit` events however many are pushed', () => {
    const { live } = queue(100);
    let largest = 0;
    for (let value = 0; value < 10_000; value++) {
      live.push(value);
      largest = Math.max(largest, live.size);
    }
    expect(largest).toBe(100);
    expect(live.ended).toBe(true);
  });

  it('keeps pace with a consumer that keeps up, over many events', async () => {
    const { live, calls } = queue(2);
    const received: number[] = [];
    const consumer = (async () => {
      for await (const value of live) {
        received.push(value);
        if (value === 4_999) break;
      }
    })();
    for (let value = 0; value < 5_000; value++) {
      live.push(value);
      // the consumer takes each event before the next one comes
      await new Promise((resolve) => setImmediate(resolve));
    }
    await consumer;
    expect(received).toEqual(Array.from({ length: 5_000 }, (_, index) => index));
    expect(calls.overflow).toBe(0);
    // leaving the loop returned the iterator: the queue told its owner it ended
    expect(calls.ended).toBe(1);
  });

  it('ends once when the consumer leaves, releasing a consumer that waits', async () => {
    const { live, calls } = queue(5);
    const waiting = live.next();
    await live.return();
    expect(await waiting).toEqual({ value: undefined, done: true });
    live.end();
    expect(calls).toEqual({ overflow: 0, ended: 1 });
  });
});
