// One statement for many requests: the calls that reach `submit` in the same turn of the event
// loop (under load, every request whose bytes arrived together) are sent as one statement, and
// each caller gets its own outcome once that statement has finished. It replaces a round trip per
// request by one per turn, which on the hot paths of the token endpoint is most of their cost.
import type { EntityManager } from '@mikro-orm/postgresql';

interface Waiting<In, Out> { input: In; resolve: (out: Out) => void; reject: (error: unknown) => void }

export class SharedStatement<In, Out> {
  private readonly run: (em: EntityManager, inputs: In[]) => Promise<Out[]>;
  private readonly weight: (input: In) => number;
  private readonly maxWeight: number;
  private readonly waiting = new WeakMap<object, Waiting<In, Out>[]>();

  /**
   * `run` answers the inputs in their order. `maxWeight` bounds one statement (e.g. its bound
   * parameters); `weight` says what an input counts against it.
   */
  constructor(run: (em: EntityManager, inputs: In[]) => Promise<Out[]>, maxWeight: number, weight: (input: In) => number = () => 1) {
    this.run = run;
    this.maxWeight = maxWeight;
    this.weight = weight;
  }

  /** Inside a transaction the input goes alone, with it (the statement must see, and be part of, that transaction). */
  submit(em: EntityManager, input: In): Promise<Out> {
    if (em.isInTransaction()) return this.run(em, [input]).then((outs) => outs[0]);
    const pool = em.getConnection();
    let queue = this.waiting.get(pool);
    if (!queue) {
      const fresh: Waiting<In, Out>[] = [];
      queue = fresh;
      this.waiting.set(pool, fresh);
      setImmediate(() => {
        this.waiting.delete(pool);
        void this.flush(em, fresh);
      });
    }
    const target = queue;
    return new Promise<Out>((resolve, reject) => { target.push({ input, resolve, reject }); });
  }

  private async flush(em: EntityManager, queue: Waiting<In, Out>[]) {
    for (let start = 0; start < queue.length;) {
      const chunk: Waiting<In, Out>[] = [];
      let weight = 0;
      while (start < queue.length && (!chunk.length || weight + this.weight(queue[start].input) <= this.maxWeight)) {
        weight += this.weight(queue[start].input);
        chunk.push(queue[start++]);
      }
      try {
        const outs = await this.run(em, chunk.map((w) => w.input));
        chunk.forEach((w, i) => w.resolve(outs[i]));
      } catch (error) {
        if (chunk.length === 1) { chunk[0].reject(error); continue; }
        // One caller's input (say, a row whose client was deleted meanwhile) must not fail the others.
        await Promise.all(chunk.map((w) => this.run(em, [w.input]).then((outs) => w.resolve(outs[0]), w.reject)));
      }
    }
  }
}
