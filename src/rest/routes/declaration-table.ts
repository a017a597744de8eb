// Declarations made from a table: what several declarations share is written once, as `parts` per
// key (everything but the operation), and each key's operation comes from `operations`. defineRoute
// types a declaration by its own operation; here the types check each operation of the table
// against its parts instead: codegen has typed it, it declares every variable its parts always
// pass and accepts them (no input field it lacks), it selects one root field (rootOf), and its data
// is what their `respond` reads. A misfit does not compile.
import { defineRoute, type RouteDeclaration, type RouteInput, type RouteResult, type RouteSpec } from '../route.ts';
import type { Dialect } from '../dialects/dialect.ts';
import type { DataOf, IsGenerated, VariablesOf } from '../operation-types.ts';

/** What defineRoute fills in when a declaration leaves it out. */
type Defaulted = 'operationId' | 'status' | 'errorStatuses' | 'auth';

/** A declaration but its operation: its variables and answer are typed by what they pass and read. */
export type DeclarationParts = Omit<RouteDeclaration, Defaulted | 'dialect' | 'operation' | 'variables' | 'respond' | 'dispatch'>
  & Partial<Pick<RouteDeclaration, Defaulted>> & {
  variables?: (input: RouteInput) => object;
  respond?: (data: any, input: RouteInput) => RouteResult;
};

/** The one root field an operation selects (a table's operations differ by its name). */
export const rootOf = <T>(data: Record<string, T>): T => Object.values(data)[0];

type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];
type Passed<P> = P extends { variables: (input: RouteInput) => infer V } ? V : Record<never, never>;
type Read<P> = P extends { respond: (data: infer D, input: RouteInput) => RouteResult } ? D : unknown;

type IsAny<T> = 0 extends 1 & T ? true : false;
/** The fields of a passed input object, at any depth, that its input type lacks (a misspelt field). */
type Misspelt<P, D> = IsAny<P> extends true ? never : unknown extends D ? never : P extends readonly unknown[] ? never
  : P extends object ? Exclude<keyof P, keyof NonNullable<D>> | Inner<P, NonNullable<D>> : never;
type Inner<P, D> = { [K in keyof P & keyof D]-?: Misspelt<P[K], D[K]> }[keyof P & keyof D];

type IsUnion<T, U = T> = T extends unknown ? ([U] extends [T] ? false : true) : never;
/** Refuses an entry of `operations`, saying why. */
type Misfit<Why extends string> = { 'this operation does not fit its parts': Why };

/** The operation of a part, if it fits it; else why not (and the entry does not compile). */
type Fitting<P, S extends string> = IsGenerated<S> extends false ? Misfit<'codegen has not typed it: run npm run codegen'>
  : true extends IsUnion<keyof DataOf<S>> ? Misfit<'it selects more than one root field'>
  : [Exclude<RequiredKeys<Passed<P>>, keyof VariablesOf<S>>] extends [never]
    ? Passed<P> extends VariablesOf<S>
      ? [Inner<Passed<P>, VariablesOf<S>>] extends [never]
        ? DataOf<S> extends Read<P> ? S : Misfit<'its data is not what the answer reads'>
        : Misfit<'it passes an input field its input type lacks'>
      : Misfit<'it does not accept the variables passed'>
    : Misfit<'it does not declare every variable passed'>;

export type Checked<T extends Record<string, DeclarationParts>, O extends Record<keyof T, string>> = { [K in keyof T]: Fitting<T[K], O[K]> };

/** One declaration per key of `parts`, each running its operation of `operations`. */
export function declareTable<T extends Record<string, DeclarationParts>, const O extends Record<keyof T, string>>(
  dialect: Dialect, parts: T, operations: O & NoInfer<Checked<T, O>>,
): Record<keyof T, RouteDeclaration> {
  // Checked<T, O> has matched each operation with its parts' variables and answer.
  const declare = <K extends keyof T>(key: K) =>
    defineRoute<O[K]>(dialect, { ...parts[key], operation: operations[key] } as unknown as RouteSpec<O[K]>);
  return Object.fromEntries(Object.keys(parts).map((key) => [key, declare(key)])) as Record<keyof T, RouteDeclaration>;
}
