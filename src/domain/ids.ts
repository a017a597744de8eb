// Server-minted IDs. SlashID person IDs are time-ordered UUIDs in the early-draft v7 layout:
// 36 bits of Unix seconds, 12 + 12 bits of sub-second fraction around the version nibble `7`,
// then the variant and random bits. So IDs sort by creation time and start with `06…` today.
import crypto from 'node:crypto';

let last = { seconds: 0, fraction: 0 };

/** Monotonic within a process: ids minted in one request keep their creation order. */
export function timeOrderedUuid(now: number = Date.now() + (performance.now() % 1)): string {
  let seconds = Math.floor(now / 1000);
  let fraction = Math.floor(((now % 1000) / 1000) * 0x1000000); // 24 bits
  if (seconds < last.seconds || (seconds === last.seconds && fraction <= last.fraction)) {
    seconds = last.seconds;
    fraction = last.fraction + 1;
    if (fraction > 0xffffff) { seconds += 1; fraction = 0; }
  }
  last = { seconds, fraction };
  const bytes = crypto.randomBytes(16);
  // 36-bit seconds in bytes 0..4 (high nibble of byte 4)
  bytes[0] = Math.floor(seconds / 2 ** 28) & 0xff;
  bytes[1] = Math.floor(seconds / 2 ** 20) & 0xff;
  bytes[2] = Math.floor(seconds / 2 ** 12) & 0xff;
  bytes[3] = Math.floor(seconds / 2 ** 4) & 0xff;
  bytes[4] = ((seconds & 0x0f) << 4) | ((fraction >> 20) & 0x0f);
  bytes[5] = (fraction >> 12) & 0xff; // end of subsec_a (12 bits)
  bytes[6] = 0x70 | ((fraction >> 8) & 0x0f); // version 7, subsec_b high nibble
  bytes[7] = fraction & 0xff;
  bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A UUID's shape as a pattern source (also what the wire schemas document). */
export const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
const UUID_SHAPE = new RegExp(UUID_PATTERN);

/** IDs are UUID-shaped; version and variant are deliberately not checked (real org IDs break them). */
export function isUuidShaped(value: string): boolean {
  return UUID_SHAPE.test(value);
}
