// Data access of the persons bulk import: set-based statements over a batch of rows, each batch
// passed as one JSON parameter (jsonb_to_recordset), so a batch costs a fixed number of statements.
import type { EntityManager } from '@mikro-orm/postgresql';

export interface HandleKey { type: string; normalized: string }

export interface ImportedPerson {
  id: string;
  region: string;
  handles: { id: string; type: string; value: string; normalized: string }[];
  groupIds: string[];
  attributes: { bucket: string; name: string; value: unknown }[];
}

/** The `type:normalized` keys among `handles` that a person of the organization already holds. */
export async function findTakenHandles(em: EntityManager, organizationId: string, handles: HandleKey[]): Promise<Set<string>> {
  if (handles.length === 0) return new Set();
  const rows = await em.execute<{ type: string; normalized: string }[]>(
    `select h.type, h.normalized from handle h
       join jsonb_to_recordset(cast(? as jsonb)) as x(type text, normalized text)
         on h.type = x.type and h.normalized = x.normalized
      where h.organization_id = ?`,
    [JSON.stringify(handles), organizationId]);
  return new Set(rows.map((r) => `${r.type}:${r.normalized}`));
}

/** Inserts the persons with their handles, group memberships and attributes: four statements. */
export async function insertPersons(em: EntityManager, organizationId: string, persons: ImportedPerson[]) {
  if (persons.length === 0) return;
  const json = (rows: unknown[]) => JSON.stringify(rows);
  await em.execute(
    `insert into person (id, organization_id, active, region, person_type, is_verified, created_at, updated_at)
     select x.id, ?, true, x.region, 'regular', false, now(), now()
       from jsonb_to_recordset(cast(? as jsonb)) as x(id uuid, region text)`,
    [organizationId, json(persons.map((p) => ({ id: p.id, region: p.region })))]);
  await em.execute(
    `insert into handle (id, organization_id, person_id, type, value, normalized, created_at)
     select x.id, ?, x.person_id, x.type, x.value, x.normalized, now()
       from jsonb_to_recordset(cast(? as jsonb)) as x(id uuid, person_id uuid, type text, value text, normalized text)`,
    [organizationId, json(persons.flatMap((p) => p.handles.map((h) => ({ ...h, person_id: p.id }))))]);
  const members = persons.flatMap((p) => p.groupIds.map((groupId) => ({ group_id: groupId, person_id: p.id })));
  if (members.length) {
    await em.execute(
      `insert into group_member (group_id, person_id, created_at)
       select x.group_id, x.person_id, now() from jsonb_to_recordset(cast(? as jsonb)) as x(group_id uuid, person_id uuid)`,
      [json(members)]);
  }
  const attributes = persons.flatMap((p) => p.attributes.map((a) => ({ ...a, person_id: p.id })));
  if (attributes.length) {
    await em.execute(
      `insert into person_attribute (person_id, bucket, name, organization_id, value, updated_at)
       select x.person_id, x.bucket, x.name, ?, x.value, now()
         from jsonb_to_recordset(cast(? as jsonb)) as x(person_id uuid, bucket text, name text, value jsonb)`,
      [organizationId, json(attributes)]);
  }
}
