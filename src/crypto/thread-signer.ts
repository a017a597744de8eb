// Signatures off the event loop: the signatures asked for in one turn go to a worker thread as one
// message and come back as one. Inline, a P-256 signature costs the event loop ~25 µs, and about as
// much through node's own thread-pool job; batched to a thread it costs a few µs, and the token
// endpoint's requests no longer wait behind each other's signatures.
import type crypto from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { SignAnswer, SignRequest, ThreadAlg } from './signing-thread.ts';

interface Waiting { resolve: (signature: string) => void; reject: (error: Error) => void }

export class ThreadSigner {
  private worker: Worker | undefined;
  /** The thread could not start here: callers sign inline. */
  unavailable = false;
  private readonly waiting = new Map<number, Waiting>();
  private readonly keyIds = new WeakMap<crypto.KeyObject, number>();
  private sent = new Set<number>();
  private queue: SignRequest[] = [];
  private nextId = 1;

  /** The base64url signature of `input`; rejects when the thread stops (callers then sign inline). */
  sign(alg: ThreadAlg, key: crypto.KeyObject, input: string): Promise<string> {
    const id = this.nextId++;
    let keyId = this.keyIds.get(key);
    if (keyId === undefined) { keyId = id; this.keyIds.set(key, keyId); }
    const request: SignRequest = { id, alg, keyId, input };
    if (!this.sent.has(keyId)) { request.key = key; this.sent.add(keyId); }
    if (!this.queue.length) setImmediate(() => this.send());
    this.queue.push(request);
    return new Promise((resolve, reject) => { this.waiting.set(id, { resolve, reject }); });
  }

  private send() {
    const batch = this.queue;
    this.queue = [];
    try {
      this.thread().postMessage(batch);
    } catch (error) {
      this.unavailable = true;
      this.fail(batch.map((r) => r.id), error as Error);
    }
  }

  private fail(ids: Iterable<number>, error: Error) {
    for (const id of ids) { this.waiting.get(id)?.reject(error); this.waiting.delete(id); }
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('./signing-thread.ts', import.meta.url));
    let started = false;
    worker.once('online', () => { started = true; });
    worker.on('message', (answers: SignAnswer[]) => {
      for (const { id, signature, error } of answers) {
        const waiting = this.waiting.get(id);
        this.waiting.delete(id);
        if (signature !== undefined) waiting?.resolve(signature); else waiting?.reject(new Error(error));
      }
    });
    worker.on('error', () => { if (!started) this.unavailable = true; });
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = undefined;
      this.sent = new Set(); // a new thread has no key yet
      this.fail([...this.waiting.keys()], new Error('the signing thread stopped'));
    });
    worker.unref(); // after the listeners, which would ref it again: an idle signer never keeps the process alive
    this.worker = worker;
    return worker;
  }
}
