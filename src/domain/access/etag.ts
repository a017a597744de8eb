// Entity tags for RBAC reads and If-Match on writes: a strong tag over a canonical JSON form.
import crypto from 'node:crypto';
import { PreconditionFailed } from '../errors.ts';

export function etagOf(value: unknown): string {
  return `"${crypto.createHash('sha256').update(JSON.stringify(value)).digest('base64url').slice(0, 27)}"`;
}

/** Throws PRECONDITION_FAILED unless If-Match is absent, `*`, or lists the current tag. */
export function assertIfMatch(ifMatch: string | null | undefined, current: string) {
  if (ifMatch == null || ifMatch.trim() === '' || ifMatch.trim() === '*') return;
  const tags = ifMatch.split(',').map((t) => t.trim().replace(/^W\//, ''));
  if (!tags.includes(current)) {
    throw new PreconditionFailed('If-Match does not match the current entity tag; read the resource again and retry');
  }
}

/**
 * Like assertIfMatch, where either of two tags may stand for the entity: its own, or the tag of the
 * whole list that holds it (computed only when the first does not match). A list tag covers every
 * entity's content, so it matches only while nothing in the list, this entity included, has changed.
 */
export async function assertIfMatchEither(ifMatch: string | null | undefined, current: string, listTag: () => Promise<string>) {
  try {
    assertIfMatch(ifMatch, current);
  } catch (error) {
    if (!(error instanceof PreconditionFailed)) throw error;
    assertIfMatch(ifMatch, await listTag());
  }
}
