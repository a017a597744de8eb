// GET|POST /persons/bulk-import: the CSV template, and streamed multipart imports with a report
// of the failed rows. Real server, real PostgreSQL, real HTTP (FormData through fetch).
import { parse } from 'csv-parse/sync';
import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { call, slashidHeaders } from '../helpers/http.ts';

let server: TestServer;
let acme: TestOrg;
let other: TestOrg;

const HEADER = 'slashid:emails,slashid:phone_numbers,slashid:usernames,slashid:region,slashid:groups,slashid:attributes';

beforeAll(async () => {
  server = await startTestServer({ maxImportBytes: 4 * 1024 * 1024 });
  acme = await server.createOrg('Acme');
  other = await server.createOrg('Other');
  for (const name of ['staff', 'admins']) {
    expect((await call(server.url, 'POST', '/groups', { headers: slashidHeaders(acme), json: { name } })).status).toBe(201);
  }
});
afterAll(() => server.close());

async function upload(org: TestOrg | undefined, csv: string | Blob, field = 'persons') {
  const form = new FormData();
  form.append('note', 'ignored');
  form.append(field, typeof csv === 'string' ? new Blob([csv], { type: 'text/csv' }) : csv, 'persons.csv');
  const response = await fetch(`${server.url}/persons/bulk-import`, {
    method: 'POST', headers: org ? slashidHeaders(org) : {}, body: form,
  });
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text), headers: response.headers };
}

const countPersons = async (org: TestOrg) =>
  (await server.sql('select count(*)::int as n from person where organization_id = $1', [org.id]))[0].n as number;

describe('GET /persons/bulk-import', () => {
  test('answers the CSV template as an attachment', async () => {
    const r = await call(server.url, 'GET', '/persons/bulk-import', { headers: slashidHeaders(acme) });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(r.headers.get('content-disposition')).toMatch(/^attachment; filename=".+\.csv"$/);
    expect(parse(r.text)).toEqual([HEADER.split(',')]);
  });

  test('answers 401 without credentials, or with a wrong key', async () => {
    expect((await call(server.url, 'GET', '/persons/bulk-import')).status).toBe(401);
    const wrong = await call(server.url, 'GET', '/persons/bulk-import', { headers: { ...slashidHeaders(acme), 'SlashID-API-Key': other.apiKey } });
    expect(wrong.status).toBe(401);
  });
});

describe('POST /persons/bulk-import', () => {
  test('imports good rows with handles, region, groups and attributes', async () => {
    const csv = `${HEADER}
"ada@example.com,ADA2@example.com",+13475043201,ada,europe-belgium,"staff,admins","{""end_user_read_write"":{""team"":""eng"",""level"":3}}"
bob@example.com,,,,,
,,"carol,carol.b",,staff,
`;
    const r = await upload(acme, csv);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ result: { successful_imports: 3, failed_imports: 0 } });

    const list = await call(server.url, 'GET', '/persons?filter=' + encodeURIComponent('handles eq "username:ada"'), { headers: slashidHeaders(acme) });
    expect(list.body.result).toHaveLength(1);
    const ada = list.body.result[0];
    expect(ada.region).toBe('europe-belgium');
    expect(ada.handles).toEqual(expect.arrayContaining([
      { type: 'email_address', value: 'ada@example.com' }, { type: 'email_address', value: 'ADA2@example.com' },
      { type: 'phone_number', value: '+13475043201' }, { type: 'username', value: 'ada' }]));
    const groups = await call(server.url, 'GET', `/persons/${ada.person_id}/groups`, { headers: slashidHeaders(acme) });
    expect(groups.body.result.sort()).toEqual(['admins', 'staff']);
    const attrs = await call(server.url, 'GET', `/persons/${ada.person_id}/attributes`, { headers: slashidHeaders(acme) });
    expect(attrs.body.result).toEqual({ end_user_read_write: { team: 'eng', level: 3 } });
    const bob = await call(server.url, 'GET', '/persons?handle=' + encodeURIComponent('email_address:bob@example.com'), { headers: slashidHeaders(acme) });
    expect(bob.body.result[0].region).toBe('us-iowa');
    // each imported person is announced, in the import's transaction
    const events = await server.sql(`select content from event_outbox where organization_id = $1 and event_name = 'PersonCreated_v1'`, [acme.id]);
    expect(events.map((e) => e.content.person_id)).toEqual(expect.arrayContaining([ada.person_id, bob.body.result[0].person_id]));
    expect(events.find((e) => e.content.person_id === ada.person_id)!.content).toMatchObject({
      region: 'europe-belgium', event_metadata: { event_name: 'PersonCreated_v1', organization_id: acme.id },
    });
  });

  test('reports each failing row with its reason and keeps the good rows', async () => {
    const before = await countPersons(acme);
    const csv = `${HEADER}
not-an-email,,,,,
dora@example.com,,,,,
BOB@example.com,,,,,
eve@example.com,,,,nosuchgroup,
fay@example.com,,,mars,,
gus@example.com,,,,,{not json
hal@example.com,,,,,"{""nosuchbucket"":{""a"":1}}"
,,,,,
dora@example.com,,,,,
ivy@example.com,,,asia-japan,staff,
`;
    const r = await upload(acme, csv);
    expect(r.status).toBe(200);
    expect(r.body.result).toMatchObject({ successful_imports: 2, failed_imports: 8 });
    const report = parse(r.body.result.failed_csv, { columns: true }) as Record<string, string>[];
    const reasons = Object.fromEntries(report.map((row) => [row['slashid:row'], row['slashid:failure_reason']]));
    expect(Object.keys(reasons).sort()).toEqual(['1', '3', '4', '5', '6', '7', '8', '9']);
    expect(reasons['1']).toMatch(/slashid:emails.*not an email address/);
    expect(reasons['3']).toMatch(/already belongs to another person/);
    expect(reasons['4']).toMatch(/Group "nosuchgroup" does not exist/);
    expect(reasons['5']).toMatch(/slashid:region "mars"/);
    expect(reasons['6']).toMatch(/slashid:attributes is not valid JSON/);
    expect(reasons['7']).toMatch(/nosuchbucket/);
    expect(reasons['8']).toMatch(/no handle/);
    expect(reasons['9']).toMatch(/also in row 2/);
    // The report keeps the uploaded cells so it can be fixed and uploaded again.
    expect(report.find((row) => row['slashid:row'] === '5')!['slashid:region']).toBe('mars');
    expect(await countPersons(acme)).toBe(before + 2);
  });

  test('a failed row changes nothing: no person, handle, membership or attribute of it remains', async () => {
    const counts = async () => (await server.sql(`select
      (select count(*)::int from person) as persons, (select count(*)::int from handle) as handles,
      (select count(*)::int from group_member) as members, (select count(*)::int from person_attribute) as attributes`))[0];
    const before = await counts();
    const csv = `${HEADER}
jim@example.com,,jim,,"staff,nosuchgroup","{""end_user_read_only"":{""x"":1}}"
kim@example.com,+1234,kim,,staff,"{""end_user_read_only"":{""x"":1}}"
`;
    const r = await upload(acme, csv);
    expect(r.body.result).toMatchObject({ successful_imports: 0, failed_imports: 2 });
    expect(await counts()).toEqual(before);
  });

  test('a failed report can be uploaded again once fixed (its extra columns are ignored)', async () => {
    const first = await upload(acme, `${HEADER}\nlen@example.com,,,atlantis,,\n`);
    const fixed = first.body.result.failed_csv.replace('atlantis', 'europe-england');
    const again = await upload(acme, fixed);
    expect(again.body.result).toEqual({ successful_imports: 1, failed_imports: 0 });
  });

  test('an unreadable CSV record is reported; the rows around it are kept', async () => {
    const r = await upload(acme, `${HEADER}\nmia@example.com,,,,,\n"unclosed@example.com,,,,,\n`);
    // (the unclosed quote runs to the end of the file, so that is the one unreadable record)
    expect(r.status).toBe(200);
    expect(r.body.result).toMatchObject({ successful_imports: 1, failed_imports: 1 });
    expect(r.body.result.failed_csv).toMatch(/CSV syntax error at line \d+/);
  });

  test.each([
    ['an empty file', ''],
    ['a header without handle columns', 'slashid:region,slashid:groups\nus-iowa,staff\n'],
    ['a header naming a column twice', 'slashid:emails,slashid:emails\na@example.com,b@example.com\n'],
  ])('answers 400 for %s', async (_, csv) => {
    const before = await countPersons(acme);
    const r = await upload(acme, csv);
    expect(r.status).toBe(400);
    expect(r.body.errors[0].httpcode).toBe(400);
    expect(await countPersons(acme)).toBe(before);
  });

  test('answers 400 when the persons field is missing', async () => {
    const r = await upload(acme, `${HEADER}\nzed@example.com,,,,,\n`, 'people');
    expect(r.status).toBe(400);
    expect(r.body.errors[0].message).toMatch(/persons/);
    expect((await server.sql(`select count(*)::int as n from handle where value = 'zed@example.com'`))[0].n).toBe(0);
  });

  test('answers 415 for a body that is not multipart', async () => {
    const json = await call(server.url, 'POST', '/persons/bulk-import', { headers: slashidHeaders(acme), json: { persons: HEADER } });
    expect(json.status).toBe(415);
    const csv = await call(server.url, 'POST', '/persons/bulk-import', { headers: slashidHeaders(acme), raw: HEADER, contentType: 'text/csv' });
    expect(csv.status).toBe(415);
    expect(csv.body.errors[0].message).toMatch(/multipart\/form-data/);
  });

  test('answers 400 for a malformed multipart body', async () => {
    const r = await call(server.url, 'POST', '/persons/bulk-import', {
      headers: slashidHeaders(acme), raw: 'garbage', contentType: 'multipart/form-data',
    });
    expect(r.status).toBe(400);
  });

  test('answers 413 past MAX_IMPORT_BYTES and imports nothing', async () => {
    const before = await countPersons(acme);
    const rows = Array.from({ length: 120_000 }, (_, i) => `a-rather-long-address-${i}@example.com,,,,,`).join('\n');
    expect(rows.length).toBeGreaterThan(4 * 1024 * 1024);
    const r = await upload(acme, `${HEADER}\n${rows}\n`);
    expect(r.status).toBe(413);
    expect(r.body.errors[0]).toMatchObject({ httpcode: 413 });
    expect(r.body.errors[0].message).toMatch(/4194304 bytes/);
    expect(await countPersons(acme)).toBe(before);
  });

  test('answers 413 when a chunked upload (no Content-Length) grows past the limit', async () => {
    // A server of its own with a small limit: rows read before the limit is reached are kept.
    const small = await startTestServer({ maxImportBytes: 64 * 1024 });
    const org = await small.createOrg('Chunked');
    const boundary = 'bulkimportboundary';
    const encoder = new TextEncoder();
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === 0) {
          controller.enqueue(encoder.encode(`--${boundary}\r\nContent-Disposition: form-data; name="persons"; filename="p.csv"\r\n` +
            `Content-Type: text/csv\r\n\r\n${HEADER}\n`));
        } else if (sent > 1024 * 1024) {
          controller.enqueue(encoder.encode(`\r\n--${boundary}--\r\n`));
          controller.close();
          return;
        }
        const chunk = Array.from({ length: 200 }, (_, i) => `chunked-${sent}-${i}@example.com,,,,,`).join('\n') + '\n';
        sent += chunk.length;
        controller.enqueue(encoder.encode(chunk));
      },
    });
    const response = await fetch(`${small.url}/persons/bulk-import`, {
      method: 'POST', body, duplex: 'half',
      headers: { ...slashidHeaders(org), 'content-type': `multipart/form-data; boundary=${boundary}` },
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(((await response.json()) as any).errors[0].message).toMatch(/MAX_IMPORT_BYTES/);
    const [{ n }] = await small.sql('select count(*)::int as n from person');
    expect(n).toBeLessThan(2000); // stopped at the limit (64 KiB ≈ 1,700 rows), not at the end of the upload
    await small.close();
  });

  test('answers 401 without credentials and reads nothing', async () => {
    const before = await countPersons(acme);
    const r = await upload(undefined, `${HEADER}\nnobody@example.com,,,,,\n`);
    expect(r.status).toBe(401);
    const wrong = await fetch(`${server.url}/persons/bulk-import`, {
      method: 'POST', headers: { ...slashidHeaders(acme), 'SlashID-API-Key': 'wrong' }, body: new FormData(),
    });
    expect(wrong.status).toBe(401);
    expect(await countPersons(acme)).toBe(before);
  });

  test("rows land in the caller's organization only, and its groups are the caller's", async () => {
    const acmeBefore = await countPersons(acme);
    const r = await upload(other, `${HEADER}\nada@example.com,,,,,\nola@example.com,,,,staff,\n`);
    expect(r.status).toBe(200);
    // ada@example.com is taken in Acme, not in Other; Acme's group "staff" does not exist in Other.
    expect(r.body.result).toMatchObject({ successful_imports: 1, failed_imports: 1 });
    expect((parse(r.body.result.failed_csv, { columns: true }) as Record<string, string>[])[0]['slashid:failure_reason']).toMatch(/Group "staff" does not exist/);
    expect(await countPersons(acme)).toBe(acmeBefore);
    expect(await countPersons(other)).toBe(1);
  });

  test('an Upload cannot be sent as JSON over /graphql', async () => {
    const r = await call(server.url, 'POST', '/graphql', {
      headers: slashidHeaders(acme),
      json: { query: 'mutation($csv: Upload!) { importPersons(csv: $csv) { successfulImports } }', variables: { csv: 'a,b' } },
    });
    expect(r.body.errors[0].message).toMatch(/multipart REST route/);
    expect(r.body.data ?? null).toBeNull();
  });

  test('imports 10,000 rows in one request with bounded memory', async () => {
    const org = await server.createOrg('Big');
    const rows = Array.from({ length: 10_000 }, (_, i) =>
      `person${i}@example.com,,user${i},europe-belgium,,"{""end_user_read_write"":{""i"":${i}}}"`);
    rows[5_000] = 'not-an-email,,,,,';
    const csv = `${HEADER}\n${rows.join('\n')}\n`;
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    const started = performance.now();
    const r = await upload(org, new Blob([csv], { type: 'text/csv' }));
    const seconds = (performance.now() - started) / 1000;
    const rssAfter = process.memoryUsage().rss;
    expect(r.status).toBe(200);
    expect(r.body.result).toMatchObject({ successful_imports: 9_999, failed_imports: 1 });
    expect(r.body.result.failed_csv).toMatch(/^.*\n.*not-an-email.*,5001,/);
    expect(await countPersons(org)).toBe(9_999);
    expect((await server.sql(`select count(*)::int as n from person_attribute where organization_id = $1`, [org.id]))[0].n).toBe(9_999);
    // A figure, not an assertion on time: the import streams, so RSS grows by far less than the file times the rows held.
    console.log(`bulk import: 10,000 rows (${(csv.length / 1024 / 1024).toFixed(2)} MiB) in ${seconds.toFixed(2)} s; ` +
      `rss before ${(rssBefore / 2 ** 20).toFixed(0)} MiB, after ${(rssAfter / 2 ** 20).toFixed(0)} MiB`);
  });
});
