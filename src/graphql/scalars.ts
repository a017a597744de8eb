import { GraphQLError, GraphQLScalarType, Kind, valueFromASTUntyped } from 'graphql';
import { isRegion, REGIONS, type RegionName } from '../domain/person/regions.ts';
import type { Upload } from '../domain/upload.ts';
import { jsonIssue, MAX_JSON_DEPTH } from '../domain/storable.ts';

export const DateTime = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  serialize: (value) => (value instanceof Date ? value : new Date(value as string)).toISOString(),
  parseValue: (value) => {
    const date = new Date(value as string);
    if (typeof value !== 'string' || Number.isNaN(date.getTime())) throw new GraphQLError('DateTime must be an RFC 3339 string');
    return date;
  },
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('DateTime must be an RFC 3339 string');
    return new Date(ast.value);
  },
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
