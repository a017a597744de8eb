import { sqlMigration } from '../sql-migration.ts';

/**
 * Handles are compared in Unicode NFC from now on (src/domain/person/handles.ts): existing
 * comparison keys written before are brought to NFC. Where two persons of an organization hold
 * the NFC and the NFD form of one address, both keys stay as they are (the first one's becomes
 * NFC only if no one holds that form yet): merging persons is for their administrator to decide.
 * Needs a UTF8 database (normalize()); on another encoding there is nothing outside ASCII to fix.
 */
export const Migration20261202060802 = sqlMigration('Migration20261202060802', {
  up: [
    `do $$ begin
  if current_setting('server_encoding') = 'UTF8' then
    update "handle" h set "normalized" = x.nfc
      from (
        select distinct on ("organization_id", "type", normalize("normalized", NFC)) "id", normalize("normalized", NFC) as nfc
          from "handle"
         where "type" <> 'phone_number' and "normalized" is not nfc normalized
         order by "organization_id", "type", normalize("normalized", NFC), "created_at", "id"
      ) x
     where h."id" = x."id"
       and not exists (select 1 from "handle" o
                        where o."organization_id" = h."organization_id" and o."type" = h."type" and o."normalized" = x.nfc);
  end if;
end $$;`,
  ],
  down: [
    // Nothing to undo: an NFC key compares as before for every ASCII handle.
  ],
});
