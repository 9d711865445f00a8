/**
 * How many playground runs one server holds at once. Each run is bounded on its own (examples, calls
 * in flight, timeouts); this bounds their sum, so a burst of requests cannot hold the server's memory
 * and the providers' quota. A request that finds no slot is refused at once, not queued.
 */
export class RunSlots {
  private taken = 0;

  constructor(readonly max: number) {}

  /** Takes a slot when one is free; false when all are taken. */
  tryTake(): boolean {
    if (this.taken >= this.max) return false;
    this.taken += 1;
    return true;
  }

  /** Gives a taken slot back. */
  give(): void {
    this.taken = Math.max(0, this.taken - 1);
  }
}
