// What one /graphql document may ask for, refused before anything runs: its length in tokens
// (parse stops), its depth, aliases and directives (validation; Apollo keeps documents that
// passed), and its cost with the request's variables (before execution). The REST engine runs
// fixed documents and is exempt; test/graphql/cost-limits.test.ts keeps them within these limits.
import type { ApolloServerOptions, BaseContext } from '@apollo/server';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import {
  GraphQLError, Kind, Lexer, Source, TokenKind, getNamedType, getNullableType, getVariableValues, isLeafType,
  isListType, parse, validate, visit,
  type DocumentNode, type GraphQLField, type GraphQLSchema, type OperationDefinitionNode, type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import { DEFAULT_PAGE, MAX_PAGE } from './resolvers/pagination.ts';

export const LIMITS = {
  /** Names, values and punctuation of the document (comments and white space are free). */
  tokens: 2_000,
  /** Levels of nested fields; fragments add none, nor does __schema (bounded by cost and tokens). */
  depth: 12,
  /** Aliases of the operation (REST declarations rename up to 38 fields today). */
  aliases: 100,
  directives: 20,
  /** Fields walked to compute the cost, fragments expanded (bounds the walk itself). */
  selections: 5_000,
  /** See estimateCost; the standard introspection query costs about 52,000. */
  cost: 60_000,
} as const;
export type LimitName = keyof typeof LIMITS;

/** Items assumed of a list of objects that takes no page size (a person's roles, the groups). */
export const ASSUMED_LIST_LENGTH = 10;

/** What a field costs that runs a database statement of its own each time it is resolved. */
export const STATEMENT_COST = 100;

/**
 * Fields whose resolver queries once per parent object instead of through a DataLoader
 * (src/graphql/loaders.ts): list a field here when you write such a resolver.
 */
export const OWN_STATEMENT_FIELDS: ReadonlySet<string> = new Set([
  'Organization.tenantName', 'Organization.managedOrganizations', 'Organization.suborganizations',
  'Organization.person', 'Organization.personByHandle', 'Organization.persons', 'Organization.loginBlocks',
  'Person.organizations', 'Person.apiKeys', 'Person.sessions', 'UserApiKey.person', 'Session.person',
]);

/** Page sizes of the fields taking `first` that do not page with pageArgs (default 50, at most 1000). */
export const PAGE_SIZES: Readonly<Record<string, { default: number; max: number }>> = {
  'Organization.loginBlocks': { default: 100, max: 500 },
  'Query.oauthClients': { default: 1000, max: 1000 },
};

const fmt = (n: number) => n.toLocaleString('en-US');

function limitExceeded(limit: LimitName, message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: 'QUERY_TOO_COMPLEX', limit, maximum: LIMITS[limit], ...extensions, http: { status: 400 } },
  });
}

// ── Depth, aliases, directives: graphql-armor's rules, reporting our message (400 GRAPHQL_VALIDATION_FAILED).

const ADVICE = {
  depth: 'Nest fewer levels of fields.',
  aliases: 'Ask for each field once; send several requests if you need more.',
  directives: 'Use fewer directives: decide in the client what to ask for.',
};

const reportAs = (limit: keyof typeof ADVICE) => ({
  n: LIMITS[limit],
  exposeLimits: true,
  propagateOnRejection: false,
  onReject: [(context: ValidationContext | null, error: GraphQLError) => {
    context?.reportError(limitExceeded(limit, `${error.message.replace(/^Syntax Error: /, '')} ${ADVICE[limit]}`));
  }],
});

export const limitRules: ValidationRule[] = [
  maxDepthRule({ ...reportAs('depth'), ignoreIntrospection: true, flattenFragments: true }),
  maxAliasesRule({ ...reportAs('aliases'), allowList: [] }),
  maxDirectivesRule(reportAs('directives')),
];

// ── Cost: graphql-query-complexity walks the operation with this estimator.

function itemsOf(parent: string, field: GraphQLField<unknown, unknown>, args: Record<string, unknown>): number {
  if (field.args.some((a) => a.name === 'first' || a.name === 'limit')) {
    const page = PAGE_SIZES[`${parent}.${field.name}`] ?? { default: DEFAULT_PAGE, max: MAX_PAGE };
    const asked = args.first ?? args.limit;
    return typeof asked === 'number' ? Math.min(Math.max(asked, 1), page.max) : page.default;
  }
  if (!isListType(getNullableType(field.type))) return 1;
  // A connection's nodes and edges are its page, counted on the field that took `first`.
  if (parent.endsWith('Connection')) return 1;
  return ASSUMED_LIST_LENGTH;
}

/**
 * A field costs 1 (STATEMENT_COST when it queries on its own), plus what it selects times its
 * items: its page size (`first`, else the field's default; at most its maximum),
 * ASSUMED_LIST_LENGTH for another list of objects, else 1. Scalars and lists of them cost 1.
 */
export const estimateCost: ComplexityEstimator = ({ type, field, args, childComplexity }) => {
  if (isLeafType(getNamedType(field.type))) return 1;
  const own = OWN_STATEMENT_FIELDS.has(`${type.name}.${field.name}`) ? STATEMENT_COST : 1;
  return own + itemsOf(type.name, field, args) * childComplexity;
};

export function costOf(schema: GraphQLSchema, document: DocumentNode, variables?: Record<string, unknown>, operationName?: string): number {
  try {
    return getComplexity({ schema, query: document, variables, operationName, estimators: [estimateCost], maxQueryNodes: LIMITS.selections });
  } catch (error) {
    if (!(error instanceof GraphQLError && /maximum allowed number of nodes/.test(error.message))) throw error;
    throw limitExceeded('selections', `The query selects more than ${fmt(LIMITS.selections)} fields once fragments are `
      + 'expanded, the limit; spread fragments fewer times or select fewer fields');
  }
}

function refuseCost(cost: number): void {
  if (cost <= LIMITS.cost) return;
  throw limitExceeded('cost', `The query costs ${fmt(cost)}, above the limit of ${fmt(LIMITS.cost)}; ask for fewer items `
    + `(first:) or fewer nested lists (a list multiplies the cost of what it selects by its page size, by `
    + `${ASSUMED_LIST_LENGTH} when it takes none)`, { cost });
}

/** Throws (as a 400) when the operation Apollo resolved costs too much with these variables. */
export function refuseCostlyOperation(schema: GraphQLSchema, document: DocumentNode,
  operation: OperationDefinitionNode | undefined, variables: Record<string, unknown> | undefined): void {
  if (!operation) return; // execute() answers that the operation is missing
  // Variables that do not fit their types are refused by execute() before any resolver runs.
  if (getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {}).errors) return;
  refuseCost(cachedCost(schema, document, variables, operation.name?.value));
}

/**
 * Apollo hands the same parsed DocumentNode for the same query text (its document store), so the
 * cost of a document with the same operation and variables is computed once: clients repeat a few
 * queries, and walking the document again cost as much as executing a small one.
 */
const costs = new WeakMap<DocumentNode, Map<string, number>>();
const MAX_COSTS_PER_DOCUMENT = 100;

function cachedCost(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown> | undefined, operationName?: string) {
  const key = `${operationName ?? ''}\n${JSON.stringify(variables ?? {})}`;
  if (key.length > 2048) return costOf(schema, document, variables, operationName);
  let known = costs.get(document);
  if (!known) costs.set(document, known = new Map());
  let cost = known.get(key);
  if (cost === undefined) {
    cost = costOf(schema, document, variables, operationName);
    if (known.size >= MAX_COSTS_PER_DOCUMENT) known.clear();
    known.set(key, cost);
  }
  return cost;
}

/** The Apollo Server options that enforce the limits: spread them into its configuration. */
export const apolloCostLimits: Pick<ApolloServerOptions<BaseContext>, 'parseOptions' | 'validationRules' | 'plugins'> = {
  parseOptions: { maxTokens: LIMITS.tokens },
  validationRules: limitRules,
  plugins: [{
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          refuseCostlyOperation(schema, document, operation, request.variables);
        },
      };
    },
  }],
};

// ── Fixed documents (REST declarations): checked at their worst, whatever the variables.

/** The document's tokens as parse() counts them (comments excluded). */
export function countTokens(source: string): number {
  const lexer = new Lexer(new Source(source));
  let count = 0;
  while (lexer.advance().kind !== TokenKind.EOF) count++;
  return count;
}

/**
 * The cost of a document whatever its variables: every page at its maximum and every
 * @include/@skip selection kept. Variables become JSON-typed, each a huge number: a page size
 * is clamped to its maximum, and no other argument changes the cost.
 */
export function worstCaseCostOf(schema: GraphQLSchema, document: DocumentNode): number {
  if (!schema.getType('JSON')) throw new Error('worstCaseCostOf needs the schema\'s JSON scalar');
  const variables: Record<string, number> = {};
  const anyValues = visit(document, {
    VariableDefinition(node) {
      variables[node.variable.name.value] = Number.MAX_SAFE_INTEGER;
      return { ...node, type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: 'JSON' } }, defaultValue: undefined };
    },
    Directive(node) { return node.name.value === 'include' || node.name.value === 'skip' ? null : undefined; },
  });
  return costOf(schema, anyValues, variables);
}

/** Throws the error /graphql would answer when a fixed document exceeds a limit; returns its measures. */
export function checkFixedDocument(schema: GraphQLSchema, source: string): { tokens: number; cost: number } {
  const document = parse(source, { maxTokens: LIMITS.tokens });
  const [error] = validate(schema, document, limitRules);
  if (error) throw error;
  const cost = worstCaseCostOf(schema, document);
  refuseCost(cost);
  return { tokens: countTokens(source), cost };
}
