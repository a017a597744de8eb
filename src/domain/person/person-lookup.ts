// Finding one person or saying NOT_FOUND: used by every area that acts on a person (access,
// credentials, keys, logins), so it sits below person.service.ts, which uses those areas.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Organization } from '../organization/organization.entity.ts';
import { poolOwnerOf } from '../organization/pools.ts';
import type { Person, PersonView } from './person.entity.ts';
import { findHandleOwner, findPersonById, findPersonInOrganization, findPersonViewInPool } from './person.queries.ts';
import { NotFound } from '../errors.ts';
import type { HandleInput } from '../schema-types.generated.ts';

/**
 * The organization whose persons `org` sees: the owner of the person pool it shares (SlashID
 * `persons_org_id`), else itself. A pooled person is stored once, with the owner, so it has one id
 * in every organization of the pool.
 */
export const personsPoolOwnerOf = (org: Organization) => poolOwnerOf(org, 'personsPool');

export async function getPerson(em: EntityManager, org: Organization, id: string): Promise<Person> {
  const person = await findPersonInOrganization(em, personsPoolOwnerOf(org), id);
  if (!person) throw new NotFound(`No person with id "${id.slice(0, 64)}" in this organization`);
  return person;
}

/**
 * A person to read (the graph's `person(id)`), for a principal of `organizationId`: one statement
 * that also resolves the person pool, no entity.
 */
export async function viewPerson(em: EntityManager, organizationId: string, id: string): Promise<PersonView> {
  const person = await findPersonViewInPool(em, organizationId, id);
  if (!person) throw new NotFound(`No person with id "${id.slice(0, 64)}" in this organization`);
  return person;
}

export async function getPersonByHandle(em: EntityManager, org: Organization, handle: HandleInput) {
  const person = await findHandleOwner(em, personsPoolOwnerOf(org), handle);
  if (!person) throw new NotFound(`No person holds the ${handle.type} handle "${handle.value.slice(0, 64)}"`);
  return person;
}

/** A person by id in any organization: for a principal's own person, which the caller has authenticated. */
export async function getPersonById(em: EntityManager, id: string): Promise<Person> {
  const person = await findPersonById(em, id);
  if (!person) throw new NotFound(`No person with id "${id.slice(0, 64)}"`);
  return person;
}
