// The GraphQL selection that produces a SlashID PersonRet, shared by the persons routes.
import type { RouteInput } from '../../route.ts';
import { BadRequest } from '../../../domain/errors.ts';

export const PERSON_RET = /* GraphQL */ `
  fragment PersonRet on Person {
    person_id: id
    active
    person_type: personType
    region
    handles @include(if: $withHandles) { type value }
  }
`;

/** `fields` absent means the base fields plus handles; present means exactly those listed. */
export function fieldVariables(input: RouteInput) {
  const fields: string[] | undefined = input.query.fields;
  return { withHandles: fields === undefined || fields.includes('handles') };
}

export function personVariables(body: any) {
  return {
    handles: body.handles,
    active: body.active,
    region: body.region,
    groups: body.groups,
  };
}

/** Attributes and credentials on create arrive with their own areas; refuse them clearly. */
export function refuseUnsupported(body: any) {
  for (const field of ['attributes', 'credentials'] as const) {
    const value = body[field];
    if (Array.isArray(value) ? value.length > 0 : value && Object.keys(value).length > 0) {
      throw new BadRequest(`${field} cannot be set when creating a person yet; create the person, then set ${field} separately`);
    }
  }
}
