// The typed seam at run time: test/types/typed-seam.ts is proven by tsc (each `@ts-expect-error`,
// removed, leaves the error it names), every declaration runs the very document codegen typed,
// and a declaration gets its dialect's defaults.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { Kind, parse, print, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import { routes } from '../../src/rest/routes/index.ts';
import * as generated from '../../src/rest/generated/operations.ts';
import { defineRoute } from '../../src/rest/route.ts';
import { slashid } from '../../src/rest/dialects/slashid.ts';
import { orgIdHeader } from '../../src/rest/schemas/slashid.ts';
import { tenantSettingsFields } from '../../src/rest/schemas/vault.ts';
import { selectionOf } from '../../src/rest/wire-mapping.ts';
import { TENANT_SETTINGS } from '../../src/rest/routes/vault/tenants.ts';
import { missingVariables, selected } from './typed-seam.ts';

const seamFile = path.resolve('test/types/typed-seam.ts');

/** The type errors of typed-seam.ts with its `@ts-expect-error` lines blanked (line numbers kept). */
function errorsWithoutDirectives(): { line: number; code: number }[] {
  const stripped = fs.readFileSync(seamFile, 'utf8').replace(/\/\/ @ts-expect-error.*/g, '//');
  const config = ts.getParsedCommandLineOfConfigFile(path.resolve('tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!;
  const host = ts.createCompilerHost(config.options);
  const readFile = host.readFile.bind(host);
  host.readFile = (file) => (path.resolve(file) === seamFile ? stripped : readFile(file));
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (file, language, onError, fresh) => (path.resolve(file) === seamFile
    ? ts.createSourceFile(file, stripped, language) : getSourceFile(file, language, onError, fresh));
  const program = ts.createProgram([seamFile], config.options, host);
  const source = program.getSourceFile(seamFile)!;
  return program.getSemanticDiagnostics(source).map((d) => ({ line: source.getLineAndCharacterOfPosition(d.start!).line + 1, code: d.code }));
}

test('each @ts-expect-error of typed-seam.ts stands for the error it names', () => {
  const lines = fs.readFileSync(seamFile, 'utf8').split('\n');
  const expected = lines.flatMap((text, i) => {
    const code = /\/\/ @ts-expect-error TS(\d+)/.exec(text)?.[1];
    return code ? [{ line: i + 2, code: Number(code) }] : [];
  });
  expect(expected.length).toBeGreaterThanOrEqual(5);
  expect(errorsWithoutDirectives()).toEqual(expected);
}, 120_000);

/** Definitions of a document, printed and sorted, so spacing and fragment order do not count. */
const definitionsOf = (document: DocumentNode) => [...new Set(document.definitions.map((d) => print(d)))].sort();

test('every declaration runs the document codegen typed (else: npm run codegen)', () => {
  const typed = generated as unknown as Record<string, unknown>;
  const stale: string[] = [];
  for (const route of routes) {
    const document = parse(route.operation);
    const name = (document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION) as OperationDefinitionNode).name!.value;
    const generatedDocument = typed[`${name}Document`];
    if (!generatedDocument || JSON.stringify(definitionsOf(document)) !== JSON.stringify(definitionsOf(parse(String(generatedDocument))))) {
      stale.push(`${route.method} ${route.path} (${name})`);
    }
  }
  expect(stale).toEqual([]);
});

test('the tenant settings fragment selects the wire names requests are read with', () => {
  const fragment = parse(TENANT_SETTINGS).definitions[0] as { selectionSet: unknown };
  expect(print(fragment.selectionSet as never)).toBe(print((parse(`{ ${selectionOf(tenantSettingsFields)} }`).definitions[0] as OperationDefinitionNode).selectionSet));
});

test('a declaration gets its dialect\'s credentials, the header they imply, no variables and an empty response', async () => {
  expect(selected.auth).toBe('slashid_org_key');
  expect(selected.parameters!.map((p) => `${p.in}:${p.name}`)).toEqual(['path:group_name', 'header:SlashID-OrgID']);
  expect(missingVariables.auth).toBe('vault_api_key');
  expect(missingVariables.parameters).toBeUndefined();
  expect(missingVariables.respond({}, { path: {}, query: {}, headers: {}, body: undefined }, {})).toEqual({});
  expect(missingVariables.variables({ path: {}, query: {}, headers: {}, body: undefined })).toEqual({});
  // Every SlashID declaration with an organization key documents SlashID-OrgID exactly once.
  for (const route of routes.filter((r) => r.auth === 'slashid_org_key')) {
    expect([route.operationId, route.parameters!.filter((p) => p.name === 'SlashID-OrgID').length]).toEqual([route.operationId, 1]);
  }
});

test('a declaration that lists an implied parameter again is refused', () => {
  expect(() => defineRoute(slashid, {
    method: 'GET', path: '/groups', operationId: 'GetGroups', summary: 'x', status: 200, errorStatuses: [],
    parameters: [orgIdHeader], operation: 'query GetGroups { groups { name } }',
  })).toThrow('GET /groups: SlashID-OrgID is implied by its credentials; leave it out of parameters');
});
