// Hot reads as prepared statements. MikroORM sends each statement as text with its values written
// in, so PostgreSQL parses and plans it on every run: the nested persons query's lists statement
// took 0.66 ms to plan and 1.1 ms to run. Prepared once on a connection, a statement is planned
// once and each run only binds its values and executes.
//
// The statement runs on the pool MikroORM chose (primary or replica, as `em.execute` would) through
// pg's extended protocol: a named statement is parsed on a connection the first time that
// connection runs it (pg remembers which it has), then each run sends only the values. It is
// logged as `execute <name>: <text>` (and timed, for the slow-query log) by MikroORM's connection, and its errors are
// MikroORM's exceptions, as a plain statement's would be. Inside a transaction the plain
// statement runs, on the transaction's connection.
//
// Our sessions run prepared statements on their generic plan from the first execution
// (plan_cache_mode in mikro-orm.config.ts): a statement given here must have one plan that suits
// every value of its parameters (keys, ids, a page's limit and offset), as these do.
import crypto from 'node:crypto';
import { raw } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';

/** Statements are few and fixed; past this many, a caller builds its text from values, and gets plain ones. */
const MAX_SHAPES = 500;

interface Shape { name: string; text: string }
const shapes = new Map<string, Shape>();

function shapeOf(em: EntityManager, sql: string, count: number): Shape {
  let shape = shapes.get(sql);
  if (!shape) {
    const text = em.getPlatform().formatQuery(sql, Array.from({ length: count }, (_, i) => raw(`$${i + 1}`)));
    shape = { name: `idg_${crypto.createHash('sha256').update(text).digest('hex').slice(0, 24)}`, text };
    shapes.set(sql, shape);
  }
  return shape;
}

/** The part of MikroORM's connection used here: its pg pool, and the timing and logging every statement gets (protected in its types). */
interface LoggingConnection {
  getNativeClient(): Promise<{ query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown }> }>;
  executeQuery<T>(query: string, run: () => Promise<T>, context?: { params?: readonly unknown[] }): Promise<T>;
}

/**
 * `em.execute(sql, params, options)`, as a prepared statement. `sql` must be the same text for the
 * same statement (values only in `params`), and every `?` a value (no `??` identifiers).
 */
export async function executePrepared<T>(
  em: EntityManager, sql: string, params: readonly unknown[], options: { method: 'all'; connectionType: 'read' | 'write' },
): Promise<T> {
  // An array value is written in as a list of values (`in (?)`): one placeholder would not hold it.
  if (em.isInTransaction() || params.length === 0 || params.some(Array.isArray)
    || (!shapes.has(sql) && shapes.size >= MAX_SHAPES)) {
    return em.execute(sql, [...params], options) as Promise<T>;
  }
  return executeNamed<T>(em, sql, params, options.connectionType);
}

/**
 * `sql` as a named statement on the pool of `connectionType`, outside any transaction (the caller
 * makes sure: the pool's connection is not the transaction's). A JS array is bound as one array
 * value (`?::uuid[]`, `unnest(?::text[], …)`), which MikroORM's plain statements cannot do.
 */
export async function executeNamed<T>(
  em: EntityManager, sql: string, params: readonly unknown[], connectionType: 'read' | 'write' = 'write',
): Promise<T> {
  const shape = shapeOf(em, sql, params.length);
  const connection = em.getConnection(connectionType) as unknown as LoggingConnection;
  const pool = await connection.getNativeClient();
  try {
    return await connection.executeQuery(`execute ${shape.name}: ${shape.text}`,
      async () => (await pool.query({ name: shape.name, text: shape.text, values: [...params] })).rows as T, { params });
  } catch (error) {
    throw em.getDriver().convertException(error as Error);
  }
}
