// SlashID attributes: a person's (/persons/{person_id}/attributes) and the organization's
// (/organizations/attributes) are one bucket engine on the wire, so their seven declarations are
// built once here for an owner, from the owner's own operations (typed by codegen as any other).
import { defineRoute, type ParameterDeclaration, type RouteInput, type RouteResult, type RouteSpec } from '../../route.ts';
import { stringPath } from '../../parameters.ts';
import { slashid } from '../../dialects/slashid.ts';
import { MAX_NAME_BYTES, MAX_VALUE_BYTES } from '../../../domain/attribute/attribute.service.ts';
import type { Typed } from './declaration-pieces.ts';

export const bucketPath = stringPath('bucket_name', 64, 'The attribute bucket');
export const listParam = (name: string, maxLength: number): ParameterDeclaration => ({
  name, in: 'query', commaSeparated: true, schema: { type: 'array', items: { type: 'string', maxLength }, maxItems: 1000 },
});
export const attributeMap = {
  type: 'object', additionalProperties: true,
  description: `Attribute names of 1–${MAX_NAME_BYTES} bytes; each value at most ${MAX_VALUE_BYTES / 1024} KiB as JSON`,
};
export const bucketMap = {
  type: 'object', additionalProperties: attributeMap,
  description: 'By bucket name (GET /organizations/attribute-buckets lists them; an unknown one answers 404)',
};

/** Whose attributes, and how its declarations name it. */
export interface AttributeOwner<F extends string, V> {
  /** The path of its buckets, e.g. `/persons/{person_id}/attributes`. */
  path: string;
  /** As summaries name it: "a person", "the organization". */
  whose: string;
  /** The root field its reads select the attributes of. */
  field: F;
  /** The parameters of its path (before the bucket's), and those its writes add at the end. */
  parameters: ParameterDeclaration[];
  writeHeaders: ParameterDeclaration[];
  /** The variables that name it to its operations. */
  variables: (input: RouteInput) => V;
}

interface InBucket { bucket: string; names: string[] | undefined }
// 403: the bucket's end-user permissions forbid the access.
const ACCESS_ERRORS = [400, 401, 403, 404];

/**
 * The owner's seven declarations: read every bucket or one, write every bucket or one (replace with
 * PUT, merge with PATCH, one `write` operation), delete names from one bucket.
 */
export function attributeRoutes<
  F extends string, V extends object,
  const R extends string, const W extends string, const B extends string, const D extends string,
>(owner: AttributeOwner<F, V>, operations: {
  read: Typed<R, Record<F, { attributes: unknown }>, V & { buckets: string[] | undefined }>;
  write: Typed<W, unknown, V & { attributes: unknown; bucket: string | null; merge: boolean }>;
  readBucket: Typed<B, Record<F, { bucketAttributes: unknown }>, V & InBucket>;
  removeFromBucket: Typed<D, unknown, V & InBucket>;
}) {
  // The Typed constraints above check each operation against what its declaration sends and reads.
  const declare = <S extends string>(spec: unknown) => defineRoute<S>(slashid, spec as RouteSpec<S>);
  const single = `${owner.path}/{bucket_name}`;
  const buckets = (one: boolean) => (one ? 'a single bucket' : 'multiple buckets');
  const inBucket = (input: RouteInput): V & InBucket =>
    ({ ...owner.variables(input), bucket: input.path.bucket_name, names: input.query.attributes });
  const read = <S extends string>(one: boolean, operation: S, respond: (data: never) => RouteResult) => declare<S>({
    method: 'GET', path: one ? single : owner.path, summary: `Retrieve attributes for ${owner.whose} from ${buckets(one)}`,
    parameters: [...owner.parameters, ...(one ? [bucketPath, listParam('attributes', 70)] : [listParam('buckets', 64)])],
    operation,
    variables: one ? inBucket : (input: RouteInput) => ({ ...owner.variables(input), buckets: input.query.buckets }),
    respond,
    responseSchema: one ? attributeMap : bucketMap,
    errorStatuses: ACCESS_ERRORS,
  });
  const write = (method: 'PUT' | 'PATCH', one: boolean) => declare<W>({
    method, path: one ? single : owner.path, summary: `Create or modify attributes for ${owner.whose} in ${buckets(one)}`,
    parameters: [...owner.parameters, ...(one ? [bucketPath] : []), ...owner.writeHeaders],
    body: { schema: one ? attributeMap : bucketMap },
    operation: operations.write,
    variables: (input: RouteInput) => ({
      ...owner.variables(input), attributes: input.body, bucket: one ? input.path.bucket_name : null, merge: method === 'PATCH',
    }),
    status: 204,
    errorStatuses: ACCESS_ERRORS,
  });
  return {
    read: read(false, operations.read, (data: Record<F, { attributes: unknown }>) => ({ body: data[owner.field].attributes })),
    put: write('PUT', false),
    patch: write('PATCH', false),
    readBucket: read(true, operations.readBucket, (data: Record<F, { bucketAttributes: unknown }>) => ({ body: data[owner.field].bucketAttributes })),
    putBucket: write('PUT', true),
    patchBucket: write('PATCH', true),
    removeFromBucket: declare<D>({
      method: 'DELETE', path: single, summary: `Delete attributes for ${owner.whose} from a single bucket`,
      parameters: [...owner.parameters, bucketPath, listParam('attributes', 70), ...owner.writeHeaders],
      operation: operations.removeFromBucket,
      variables: inBucket,
      errorStatuses: ACCESS_ERRORS,
    }),
  };
}
