// Connections page by offset; a cursor is the opaque base64url of the offset after an item.
import { ValidationFailed } from '../../domain/errors.ts';

export const MAX_PAGE = 1000;
export const DEFAULT_PAGE = 50;

export function encodeCursor(offset: number): string {
  return Buffer.from(`o:${offset}`).toString('base64url');
}

function decodeCursor(cursor: string): number {
  const match = /^o:(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match) throw new ValidationFailed('The cursor is not one this server issued; pass an endCursor from a previous page');
  return Number(match[1]);
}

export function pageArgs(args: { first?: number | null; after?: string | null; offset?: number | null }) {
  const limit = args.first ?? DEFAULT_PAGE;
  if (limit < 0 || limit > MAX_PAGE) throw new ValidationFailed(`first must be between 0 and ${MAX_PAGE}`);
  if (args.offset != null && args.offset < 0) throw new ValidationFailed('offset must be 0 or more');
  const offset = args.after != null ? decodeCursor(args.after) : (args.offset ?? 0);
  return { limit, offset };
}

/** The page information of an offset page holding `count` items out of `totalCount`. */
export function pageInfoOf(offset: number, count: number, totalCount: number) {
  return { hasNextPage: offset + count < totalCount, endCursor: count ? encodeCursor(offset + count) : null };
}
