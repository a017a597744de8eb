// SlashID /persons/bulk-import (endpoint table 1, rows 49–50): the CSV template, and the import
// of a CSV streamed as multipart/form-data. The rules live in src/domain/person/bulk-import.service.ts.
import { defineRoute } from '../../route.ts';
import { slashid } from '../../dialects/slashid.ts';
import { personsBulkImportReq, personsBulkImportRet } from '../../schemas/slashid.ts';

export const getBulkImportTemplate = defineRoute(slashid, {
  method: 'GET', path: '/persons/bulk-import', summary: 'Fetch the import CSV template',
  operation: /* GraphQL */ `query GetPersonsBulkImport { personImportTemplate }`,
  respond: (data) => ({
    raw: data.personImportTemplate,
    headers: { 'Content-Disposition': 'attachment; filename="slashid-persons-import-template.csv"' },
  }),
  responseContentType: 'text/csv',
  responseHeaders: ['Content-Disposition'],
  responseSchema: { type: 'string' },
  errorStatuses: [400, 401, 403],
});

export const postBulkImport = defineRoute(slashid, {
  method: 'POST', path: '/persons/bulk-import', summary: 'Bulk import persons',
  body: { kind: 'multipart', file: 'persons', schema: personsBulkImportReq },
  operation: /* GraphQL */ `
    mutation PostPersonsBulkImport($csv: Upload!) {
      importPersons(csv: $csv) {
        successful_imports: successfulImports
        failed_imports: failedImports
        failed_csv: failedCsv
      }
    }`,
  variables: ({ body }) => ({ csv: body.persons }),
  respond: (data) => {
    const { failed_csv: failedCsv, ...counts } = data.importPersons;
    return { body: failedCsv == null ? counts : { ...counts, failed_csv: failedCsv } };
  },
  status: 200,
  responseSchema: personsBulkImportRet,
  errorStatuses: [400, 401, 402, 413, 415],
});
