// The persons bulk import: a CSV streamed in (csv-parse), read in batches of BATCH_SIZE rows, each
// batch checked in memory and against the database with a fixed number of statements, then written
// in one transaction. Every row is imported whole or not at all: a row that fails any rule is left
// out of its batch and reported; should a batch's transaction still fail (a handle taken by a
// concurrent request), its rows are retried one transaction each. Memory holds one batch and the
// report of failed rows, never the file.
import { pipeline } from 'node:stream/promises';
import { parse, CsvError } from 'csv-parse';
import { stringify } from 'csv-stringify/sync';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Organization } from '../organization/organization.entity.ts';
import type { Upload } from '../upload.ts';
import { DomainError, PaymentRequired, ValidationFailed } from '../errors.ts';
import { assertWithinTier } from '../organization/quota.ts';
import { groupsPoolOwnerOf } from '../access/group-pool.ts';
import { timeOrderedUuid } from '../ids.ts';
import { canonicalHandleValue, handleIssues, normalizeHandle } from './handles.ts';
import { describeIssue, jsonIssue, unstorableReason } from '../storable.ts';
import { FALLBACK_REGION, isRegion, REGIONS, type RegionName } from './regions.ts';
import { assertGroupName } from '../access/names.ts';
import { findGroupsByName } from '../access/access.queries.ts';
import { assertAttributes, assertBucket } from '../attribute/attribute.service.ts';
import { findTakenHandles, insertPersons, type ImportedPerson } from './bulk-import.queries.ts';
import type { HandleType } from '../schema-types.generated.ts';
import { emitEvents } from '../webhook/events.ts';

export const IMPORT_COLUMNS = [
  'slashid:emails', 'slashid:phone_numbers', 'slashid:usernames', 'slashid:region', 'slashid:groups', 'slashid:attributes',
] as const;
const HANDLE_COLUMNS: Record<string, HandleType> = {
  'slashid:emails': 'email_address', 'slashid:phone_numbers': 'phone_number', 'slashid:usernames': 'username',
};
const ROW_COLUMN = 'slashid:row';
const REASON_COLUMN = 'slashid:failure_reason';
export const BATCH_SIZE = 500;
/** A longer record is a malformed file (an unclosed quote), not a person. */
const MAX_RECORD_BYTES = 1024 * 1024;
const MAX_HANDLES_PER_ROW = 50;

export interface ImportResult { successfulImports: number; failedImports: number; failedCsv: string | null }

interface Row { n: number; cells: string[] }

/** The CSV template: the header line of the columns an import reads. */
export function importTemplate(): string {
  return stringify([[...IMPORT_COLUMNS]], { quoted: true });
}

/** Splits a multi-valued cell (comma-separated, blanks ignored). */
const listOf = (cell: string | undefined) => (cell ?? '').split(',').map((s) => s.trim()).filter(Boolean);

class RowFailure extends Error {}

class ImportRun {
  successful = 0;
  readonly failures: string[][] = [];
  readonly em: EntityManager;
  readonly org: Organization;
  /** The organization importing, whose group pool the rows' groups name (`org` stores the persons). */
  readonly acting: Organization;
  readonly header: string[];
  readonly index: Map<string, number>;
  /** Columns echoed in the failure report: all but our own report columns. */
  readonly echoed: number[];
  readonly defaultRegion: RegionName;

  constructor(em: EntityManager, org: Organization, acting: Organization, header: string[], defaultRegion: RegionName) {
    this.em = em;
    this.acting = acting;
    this.defaultRegion = defaultRegion;
    this.org = org;
    this.header = header;
    this.index = new Map(header.map((name, i) => [name, i]));
    this.echoed = header.map((_, i) => i).filter((i) => header[i] !== ROW_COLUMN && header[i] !== REASON_COLUMN);
  }

  fail(row: Row, reason: string) {
    this.failures.push([...this.echoed.map((i) => row.cells[i] ?? ''), String(row.n), reason]);
  }

  /** A record the CSV parser could not read: no cells, no row number. */
  failUnreadable(reason: string) {
    this.failures.push([...this.echoed.map(() => ''), '', reason]);
  }

  cell(row: Row, column: string) {
    const i = this.index.get(column);
    return i === undefined ? undefined : row.cells[i];
  }

  /** The row as a person to insert, or a RowFailure saying why it cannot be one. */
  candidate(row: Row): ImportedPerson & { groupNames: string[] } {
    if (row.cells.length > this.header.length) {
      throw new RowFailure(`The row has ${row.cells.length} fields but the header has ${this.header.length}`);
    }
    // What PostgreSQL cannot store fails the row here, not its batch's transaction.
    for (const [i, cell] of row.cells.entries()) {
      const reason = cell === undefined ? undefined : unstorableReason(cell);
      if (reason) throw new RowFailure(`${this.header[i] ?? `column ${i + 1}`}: ${reason}`);
    }
    const handles: ImportedPerson['handles'] = [];
    const seen = new Set<string>();
    for (const [column, type] of Object.entries(HANDLE_COLUMNS)) {
      for (const value of listOf(this.cell(row, column))) {
        const issues = handleIssues({ type, value }, [column]);
        if (issues.length) throw new RowFailure(`${column}: ${issues[0].msg}`);
        const normalized = normalizeHandle({ type, value });
        if (seen.has(`${type}:${normalized}`)) continue;
        seen.add(`${type}:${normalized}`);
        handles.push({ id: timeOrderedUuid(), type, value: canonicalHandleValue(value), normalized });
      }
    }
    if (handles.length === 0) throw new RowFailure('The row has no handle: give at least one email address, phone number or username');
    if (handles.length > MAX_HANDLES_PER_ROW) throw new RowFailure(`A person may have at most ${MAX_HANDLES_PER_ROW} handles`);

    const region = (this.cell(row, 'slashid:region') ?? '').trim() || this.defaultRegion;
    if (!isRegion(region)) throw new RowFailure(`slashid:region "${region.slice(0, 32)}" is not one of ${REGIONS.join(', ')}`);

    const groupNames = [...new Set(listOf(this.cell(row, 'slashid:groups')))];
    try {
      groupNames.forEach(assertGroupName);
    } catch (error) {
      throw new RowFailure(`slashid:groups: ${(error as Error).message}`);
    }

    const attributes: ImportedPerson['attributes'] = [];
    const rawAttributes = (this.cell(row, 'slashid:attributes') ?? '').trim();
    if (rawAttributes) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(rawAttributes);
      } catch (error) {
        throw new RowFailure(`slashid:attributes is not valid JSON: ${(error as Error).message.slice(0, 100)}`);
      }
      const problem = jsonIssue(parsed, ['slashid:attributes']);
      if (problem) throw new RowFailure(describeIssue(problem));
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        throw new RowFailure('slashid:attributes must be a JSON object of bucket name: {attribute name: value}');
      }
      try {
        for (const [bucket, values] of Object.entries(parsed)) {
          assertBucket(bucket);
          assertAttributes(bucket, values);
          for (const [name, value] of Object.entries(values)) attributes.push({ bucket, name, value });
        }
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        throw new RowFailure(`slashid:attributes: ${error.message}`);
      }
    }
    return { id: timeOrderedUuid(), region, handles, groupIds: [], attributes, groupNames };
  }

  async importBatch(batch: Row[]) {
    const ready: { row: Row; person: ImportedPerson & { groupNames: string[] } }[] = [];
    for (const row of batch) {
      try {
        ready.push({ row, person: this.candidate(row) });
      } catch (error) {
        if (!(error instanceof RowFailure)) throw error;
        this.fail(row, error.message);
      }
    }
    const names = [...new Set(ready.flatMap((r) => r.person.groupNames))];
    const groups = new Map((names.length ? await findGroupsByName(this.em, groupsPoolOwnerOf(this.acting), names) : []).map((g) => [g.name, g.id]));
    const taken = await findTakenHandles(this.em, this.org.id, ready.flatMap((r) => r.person.handles));
    const claimed = new Map<string, number>();
    const accepted: typeof ready = [];
    for (const entry of ready) {
      const { row, person } = entry;
      const unknown = person.groupNames.find((name) => !groups.has(name));
      if (unknown) { this.fail(row, `Group "${unknown}" does not exist; create it first`); continue; }
      const holder = person.handles.find((h) => taken.has(`${h.type}:${h.normalized}`));
      if (holder) { this.fail(row, `The ${holder.type} handle "${holder.value.slice(0, 64)}" already belongs to another person`); continue; }
      const repeated = person.handles.find((h) => claimed.has(`${h.type}:${h.normalized}`));
      if (repeated) {
        this.fail(row, `The ${repeated.type} handle "${repeated.value.slice(0, 64)}" is also in row ${claimed.get(`${repeated.type}:${repeated.normalized}`)}`);
        continue;
      }
      for (const h of person.handles) claimed.set(`${h.type}:${h.normalized}`, row.n);
      person.groupIds = person.groupNames.map((name) => groups.get(name)!);
      accepted.push(entry);
    }
    try {
      await this.em.transactional((tx) => this.insert(tx as EntityManager, accepted.map((a) => a.person)));
      this.successful += accepted.length;
    } catch {
      // A concurrent writer took a handle (or a group went away) since the checks: row by row.
      for (const { row, person } of accepted) {
        try {
          await this.em.transactional((tx) => this.insert(tx as EntityManager, [person]));
          this.successful += 1;
        } catch (error) {
          this.fail(row, error instanceof PaymentRequired ? error.message
            : 'A handle of this row was taken, or one of its groups deleted, while importing; import the row again');
        }
      }
    }
  }

  /** Inserts the persons and announces each (PersonCreated_v1) in the same transaction. */
  private async insert(tx: EntityManager, persons: ImportedPerson[]) {
    await assertWithinTier(tx, this.org.id, 'persons', persons.length);
    await insertPersons(tx, this.org.id, persons);
    await emitEvents(tx, this.org.id, 'PersonCreated_v1', persons.map((p) => ({
      person_id: p.id, region: p.region, handles: p.handles.map((h) => ({ type: h.type, value: h.value })),
    })));
  }

  result(): ImportResult {
    const header = [...this.echoed.map((i) => this.header[i]), ROW_COLUMN, REASON_COLUMN];
    return {
      successfulImports: this.successful,
      failedImports: this.failures.length,
      failedCsv: this.failures.length ? stringify([header, ...this.failures]) : null,
    };
  }
}

/** Imports the CSV of `upload` into `org`; see the file comment for the guarantees. */
/** `defaultRegion`: the region of a row without one (DEFAULT_REGION); `acting`: whose group pool the groups name. */
export async function importPersons(
  em: EntityManager, org: Organization, upload: Upload, defaultRegion: RegionName = FALLBACK_REGION, acting: Organization = org,
): Promise<ImportResult> {
  // A record csv-parse cannot read (an unclosed quote, an oversize record) is skipped and
  // reported; reading goes on with the next one.
  const parser = parse({
    bom: true, relax_column_count: true, skip_empty_lines: true, max_record_size: MAX_RECORD_BYTES, skip_records_with_error: true,
  });
  const unreadable: { line: number; message: string }[] = [];
  parser.on('skip', (error: CsvError & { lines?: number }) => {
    unreadable.push({ line: error.lines ?? 0, message: error.message.slice(0, 160) });
  });
  const piping = pipeline(upload.stream, parser).catch(() => undefined); // errors surface through the iterator
  let run: ImportRun | undefined;
  let batch: Row[] = [];
  let n = 0;
  for await (const record of parser as AsyncIterable<string[]>) {
    if (!run) {
      run = new ImportRun(em, org, acting, startRun(record), defaultRegion);
      continue;
    }
    batch.push({ n: ++n, cells: record });
    if (batch.length >= BATCH_SIZE) {
      await run.importBatch(batch);
      batch = [];
    }
  }
  await piping;
  if (!run) {
    if (unreadable.length) throw new ValidationFailed(`The CSV header cannot be read: ${unreadable[0].message}`);
    throw new ValidationFailed(`The CSV file is empty; its first line must name the columns (${IMPORT_COLUMNS.join(', ')})`);
  }
  if (batch.length) await run.importBatch(batch);
  for (const { line, message } of unreadable) run.failUnreadable(`CSV syntax error at line ${line}, the record was not read: ${message}`);
  return run.result();
}

function startRun(record: string[]): string[] {
  const header = record.map((name) => name.trim());
  const duplicate = header.find((name, i) => name && header.indexOf(name) !== i);
  if (duplicate) throw new ValidationFailed(`The CSV header names column "${duplicate.slice(0, 64)}" twice`);
  if (!header.some((name) => name in HANDLE_COLUMNS)) {
    throw new ValidationFailed(`The CSV header must name at least one handle column (slashid:emails, slashid:phone_numbers, slashid:usernames); the columns read are ${IMPORT_COLUMNS.join(', ')}`);
  }
  return header;
}
