// Pieces several SlashID declarations share, spread into each `defineRoute` (which still checks
// them against the declaration's own operation): the thing a path names, the bodies and answers
// that recur across resources. No operation here, so codegen finds nothing to type.
import { defineRoute, type JsonSchema, type ParameterDeclaration, type RouteInput, type RouteResult, type RouteSpec } from '../../route.ts';
import type { DataOf, VariablesOf } from '../../operation-types.ts';
import { slashid } from '../../dialects/slashid.ts';
import { consistencyHeaders, personIdPath } from '../../schemas/slashid.ts';

/**
 * For a builder of several declarations: `S` when its operation selects `Data` and takes
 * `Variables`, else `never`, so that tsc rejects the text (as defineRoute would).
 */
export type Typed<S extends string, Data, Variables> =
  S & (DataOf<S> extends Data ? (Variables extends VariablesOf<S> ? S : never) : never);

/**
 * The thing a path names: its parameter (then `more`), and the one variable the operation takes it
 * as (`pathTarget(groupNamePath, 'name')` gives `{name: path.group_name}`).
 */
export function pathTarget<const V extends string>(parameter: ParameterDeclaration, variable: V, ...more: ParameterDeclaration[]) {
  return {
    parameters: [parameter, ...more],
    variables: ({ path }: RouteInput) => ({ [variable]: path[parameter.name] }) as Record<V, string>,
  };
}

/** The person the path names, as `$id`. */
export const ofPerson = pathTarget(personIdPath, 'id');

/** A list of names (groups, roles, permissions, person ids). */
export const names: JsonSchema = { type: 'array', items: { type: 'string' } };

/** A read of a list of names the person holds (groups, roles, permissions). */
export const personNames = { ...ofPerson, responseSchema: names };

/**
 * GET /persons/{person_id}/<member>: the names of what the person holds (groups, permissions),
 * as the operation selects them (`person { <member> { name } }`).
 */
export function personNamesRoute<const M extends string, const S extends string>(
  member: M, summary: string, operation: Typed<S, { person: Record<M, { name: string }[]> }, { id: string }>,
) {
  return defineRoute<S>(slashid, {
    method: 'GET', path: `/persons/{person_id}/${member}`, summary, ...personNames, operation,
    respond: (data: { person: Record<M, { name: string }[]> }) => ({ body: nameList(data.person[member]) }),
  } as unknown as RouteSpec<S>);
}

/** An object body whose one member is required: `{type: 'object', required: [name], properties: {name: schema}}`. */
export const requiredMember = (name: string, schema: JsonSchema): JsonSchema =>
  ({ type: 'object', required: [name], properties: { [name]: schema } });

/** The free text describing a group, role or permission. */
export const description: JsonSchema = { type: 'string', maxLength: 1024 };

/**
 * Creating a named thing (group, role, permission): the name, valid per `name`, an optional
 * description and `more` members; the operation takes `$name`, `$description` and one variable a member.
 */
export const describedName = <M extends Record<string, JsonSchema> = {}>(name: JsonSchema, more = {} as M) => ({
  parameters: consistencyHeaders,
  body: { schema: { type: 'object', required: ['name'], properties: { name, description, ...more } } },
  variables: ({ body }: RouteInput) => ({
    name: body.name as string, description: body.description as string | undefined,
    ...Object.fromEntries(Object.keys(more).map((member) => [member, body[member]])) as { [K in keyof M]: any },
  }),
});

/**
 * A write whose body (required, per `schema`) becomes the operation's `$input` through `inputOf`,
 * with the consistency headers; of the thing `target` names, when there is one (its variable
 * beside `$input`, its parameters instead of the headers alone). Give `inputOf` the input's generated
 * type as its return type (`(body): KycConfigInput => …`) so that tsc checks the mapping's fields.
 */
export function inputWrite<I, V extends object = {}>(
  schema: JsonSchema, inputOf: (body: any) => I,
  target?: { parameters: ParameterDeclaration[]; variables: (input: RouteInput) => V },
) {
  return {
    parameters: target?.parameters ?? consistencyHeaders,
    body: { schema, required: true },
    variables: (input: RouteInput) => ({ ...(target?.variables(input) as V), input: inputOf(input.body) }),
  };
}

/** An answer with its ETag (RBAC reads: a later write sends it back in If-Match). */
export const tagged = (body: unknown, etag: string): RouteResult => ({ body, headers: { ETag: etag } });

/** SlashID omits the members it has no value for. */
export const withoutNulls = (value: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null));

/** The names of what an operation selects as `{ name }` (groups, roles, permissions). */
export const nameList = (items: { name: string }[]) => items.map((i) => i.name);
