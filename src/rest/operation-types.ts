// The types of a declaration's GraphQL operation, found from its text. `npm run codegen` plucks
// every `/* GraphQL */` literal of src/rest/routes/** and writes src/rest/generated/operations.ts:
// one typed document per operation, `<Name>Document`, carrying its data and variables. Here the
// operation's name is read from the literal type of the text ("query GetPersons(…" → GetPersons),
// so the declaration's own text selects its types and a second name cannot disagree with it.
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
import type * as Operations from './generated/operations.ts';

type Whitespace = ' ' | '\n' | '\t' | '\r' | ',';
type TrimStart<S extends string> = S extends `${Whitespace}${infer Rest}` ? TrimStart<Rest> : S;
type TakeName<S extends string, Name extends string = ''> = S extends `${infer C}${infer Rest}`
  ? C extends Whitespace | '(' | '{' | '@' ? Name : TakeName<Rest, `${Name}${C}`>
  : Name;

/** The name of the operation a document starts with; `never` for a text that is not a literal type. */
export type OperationName<S extends string> =
  TrimStart<S> extends `${'query' | 'mutation'}${infer Rest}` ? TakeName<TrimStart<Rest>> : never;

type DocumentOf<S extends string> = `${OperationName<S>}Document` extends infer K
  ? K extends keyof typeof Operations ? (typeof Operations)[K] : never
  : never;

/** Whether codegen has typed the operation of `S` (else: run `npm run codegen`). */
export type IsGenerated<S extends string> = [DocumentOf<S>] extends [never] ? false : true;

/** What `execute()` returns as `data` for the operation of `S`: exactly its selection, aliases included. */
export type DataOf<S extends string> = DocumentOf<S> extends DocumentTypeDecoration<infer Data, any> ? Data : never;

/** The variables the operation of `S` declares. */
export type VariablesOf<S extends string> = DocumentOf<S> extends DocumentTypeDecoration<any, infer Variables> ? Variables : never;

/** True when the operation declares no variables (codegen's `{ [key: string]: never }`). */
export type TakesNoVariables<S extends string> = string extends keyof VariablesOf<S> ? true : false;
