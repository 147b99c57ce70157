export interface LiveQueueHooks {
  /** The consumer fell more than `limit` events behind: the queue has ended; close its connection. */
  overflow(): void;
  /** The queue ended (consumer gone, overflow or shutdown): stop pushing to it. */
  ended(): void;
}

/**
 * One subscriber's events on their way to its socket: an async iterator (what a
 * GraphQL subscription resolver returns) fed by push(). push() never waits, so the
 * feed never waits for a subscriber; a subscriber that lets more than `limit`
 * events pile up is ended instead of buffered without bound.
 */
export class LiveQueue<T> implements AsyncIterableIterator<T> {
  private buffer: T[] = [];
  private head = 0;
  private waiter: ((result: IteratorResult<T>) => void) | null = null;
  private done = false;

  constructor(
    readonly limit: number,
    private readonly hooks: LiveQueueHooks,
  ) {}

  /** Events waiting to be taken by the consumer. */
  get size(): number {
    return this.buffer.length - this.head;
  }

  get ended(): boolean {
    return this.done;
  }

  /** Hands an event to the consumer; false when the queue has ended (now or before). */
  push(value: T): boolean {
    if (this.done) return false;
    if (this.waiter) {
      const waiter = this.waiter;
      this.waiter = null;
      waiter({ value, done: false });
      return true;
    }
    if (this.size >= this.limit) {
      this.end();
      this.hooks.overflow();
      return false;
    }
    this.buffer.push(value);
    return true;
  }

  next(): Promise<IteratorResult<T>> {
    if (this.size > 0) {
      const value = this.buffer[this.head];
      this.head += 1;
      // compact now and then instead of shifting the array on every read
      if (this.head >= 1024 && this.head * 2 >= this.buffer.length) {
        this.buffer = this.buffer.slice(this.head);
        this.head = 0;
      }
      return Promise.resolve({ value, done: false });
    }
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.waiter = resolve));
  }

  /** The consumer is gone (unsubscribed, disconnected). */
  return(): Promise<IteratorResult<T>> {
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(): Promise<IteratorResult<T>> {
    return this.return();
  }

  /** Ends the queue from the producer's side (e.g. shutdown); the consumer sees the end. */
  end(): void {
    if (this.done) return;
    this.done = true;
    // whatever was waiting is dropped: an ended subscriber gets nothing more
    this.buffer = [];
    this.head = 0;
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.({ value: undefined, done: true });
    this.hooks.ended();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
