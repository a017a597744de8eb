// The GraphQL selection that produces a SlashID PersonRet, shared by the persons routes.
import type { RouteInput } from '../../route.ts';

export const PERSON_RET = /* GraphQL */ `
  fragment PersonRet on Person {
    person_id: id
    active
    person_type: personType
    region
    handles @include(if: $withHandles) { type value }
    groups @include(if: $withGroups) { name }
    attributes @include(if: $withAttributes)
  }
`;

/** The variables that choose PersonRet's optional parts: handles only, unless `fields` lists them. */
export function fieldVariables(input: RouteInput) {
  const fields: string[] | undefined = input.query.fields;
  return {
    withHandles: fields === undefined || fields.includes('handles'),
    withGroups: fields?.includes('groups') ?? false,
    withAttributes: fields?.includes('attributes') ?? false,
  };
}

/** What writes answer: the base fields and handles. */
export const WRITE_FIELDS = { withHandles: true, withGroups: false, withAttributes: false };

/** PersonRet on the wire: groups by name (a person without them goes as it is: no copy per list row). */
export function personRet<P extends { groups?: { name: string }[] }>(person: P): Omit<P, 'groups'> & { groups?: string[] } {
  if (!('groups' in person)) return person as Omit<P, 'groups'>;
  const { groups, ...rest } = person;
  return groups ? { ...rest, groups: groups.map((g) => g.name) } : rest;
}

export function personVariables(body: any) {
  return {
    handles: body.handles,
    active: body.active,
    region: body.region,
    groups: body.groups,
    attributes: body.attributes,
    credentials: body.credentials,
  };
}
