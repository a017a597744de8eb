// The two Organization fields of a kind of row the organization owns (external credentials, SAML
// providers): all of them, oldest first, and one by id (NotFound when it is not the organization's).
import type { OrganizationResolvers } from '../generated/types.ts';
import type { GraphQLContext } from '../context.ts';
import type { Organization } from '../../domain/organization/organization.entity.ts';
import type { OwnedRows } from '../../domain/organization/owned-rows.ts';

type Field = keyof OrganizationResolvers;
type ListField<T> = (o: Organization, args: unknown, ctx: GraphQLContext) => Promise<T[]>;
type OneField<T> = (o: Organization, args: { id: string }, ctx: GraphQLContext) => Promise<T>;

export const ownedRowFields = <L extends Field, O extends Field, T>(listField: L, oneField: O, rows: OwnedRows<T>) => {
  const list: ListField<T> = (o, _, { em }) => rows.list(em, o);
  const one: OneField<T> = (o, { id }, { em }) => rows.get(em, o, id);
  // A computed key is typed `string`; the record keeps each field's name and resolver type.
  return { [listField]: list, [oneField]: one } as Record<L, ListField<T>> & Record<O, OneField<T>>;
};
