import { GraphQLError, GraphQLScalarType, Kind, valueFromASTUntyped } from 'graphql';
import { isRegion, REGIONS, type RegionName } from '../domain/person/regions.ts';
import type { Upload } from '../domain/upload.ts';
import { jsonIssue, MAX_JSON_DEPTH } from '../domain/storable.ts';

// RFC 3339's date-time, in UTC between the years 1 and 9999: what PostgreSQL takes as written
// (it has no year 0, and an offset can carry 0001-01-01 or 9999-12-31 out of that range).
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;
const EARLIEST = Date.parse('0001-01-01T00:00:00Z');
const LATEST = Date.parse('9999-12-31T23:59:59.999Z');

/** The same check for variables and literals (an Invalid Date or year -100000 must never reach a query). */
function parseDateTime(value: unknown): Date {
  const date = typeof value === 'string' && RFC3339.test(value) ? new Date(value) : undefined;
  if (!date || !(date.getTime() >= EARLIEST && date.getTime() <= LATEST)) {
    throw new GraphQLError('DateTime must be an RFC 3339 timestamp from year 1 to 9999 (UTC), e.g. 2026-11-22T10:00:00.000Z');
  }
  return date;
}

export const DateTime = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  serialize: (value) => (value instanceof Date ? value : new Date(value as string)).toISOString(),
  parseValue: parseDateTime,
  parseLiteral: (ast) => parseDateTime(ast.kind === Kind.STRING ? ast.value : undefined),
});

function parseRegion(value: unknown): RegionName {
  if (!isRegion(value)) {
    throw new GraphQLError(`region must be one of ${REGIONS.join(', ')}`, { extensions: { code: 'VALIDATION_FAILED' } });
  }
  return value;
}

export const Region = new GraphQLScalarType<string, string>({
  name: 'Region',
  serialize: (value) => value as string,
  parseValue: parseRegion,
  parseLiteral: (ast) => parseRegion(ast.kind === Kind.STRING ? ast.value : undefined),
});

/**
 * A JSON value nested at most MAX_JSON_DEPTH deep: storing it (JSON.stringify) recurses, so deeper
 * input would end in a stack overflow instead of an answer.
 */
export function boundedJson<T>(value: T, scalar: string): T {
  if (jsonIssue(value, [], { strings: false })) {
    throw new GraphQLError(`${scalar} should be nested at most ${MAX_JSON_DEPTH} levels deep`, { extensions: { code: 'VALIDATION_FAILED' } });
  }
  return value;
}

/** Any JSON value (nested at most MAX_JSON_DEPTH deep), passed through as is. */
export const JSONScalar = new GraphQLScalarType<unknown, unknown>({
  name: 'JSON',
  serialize: (value) => value,
  parseValue: (value) => boundedJson(value, 'JSON'),
  parseLiteral: (ast, variables) => boundedJson(valueFromASTUntyped(ast, variables), 'JSON'),
});

function parseUpload(value: unknown) {
  const stream = (value as { stream?: { pipe?: unknown } } | null)?.stream;
  if (typeof stream?.pipe !== 'function') {
    throw new GraphQLError('An Upload is a file streamed to a multipart REST route (e.g. POST /persons/bulk-import); it cannot be sent as JSON',
      { extensions: { code: 'BAD_REQUEST' } });
  }
  return value as Upload;
}

/** A file handed in by the REST engine from a multipart body; never a JSON value. */
export const UploadScalar = new GraphQLScalarType<Upload, never>({
  name: 'Upload',
  serialize: () => { throw new GraphQLError('An Upload cannot be returned'); },
  parseValue: parseUpload,
  parseLiteral: () => parseUpload(undefined),
});
