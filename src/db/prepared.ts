// Hot reads as prepared statements. MikroORM sends each statement as text with its values written
// in, so PostgreSQL plans it on every run: the nested persons query's lists statement took 0.66 ms
// to plan and 1.1 ms to run. Prepared once on a connection, a statement is planned once (or kept
// as a generic plan) and each run only executes.
//
// The statement goes through MikroORM as ever (`execute name(values)`): its logging, its
// exceptions, its choice of primary or replica. A connection that has not prepared it answers
// 26000 (no such statement); it is then prepared (on whichever connection the pool gives, where
// 42P05 says it already was) and run again, until every connection of the pool has it. Inside a
// transaction a failed statement would abort the transaction: there the plain statement runs.
//
// Our sessions run prepared statements on their generic plan from the first execution
// (plan_cache_mode in mikro-orm.config.ts): a statement given here must have one plan that suits
// every value of its parameters (keys, ids, a page's limit and offset), as these do.
import crypto from 'node:crypto';
import { raw } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';

const NO_SUCH_STATEMENT = '26000';
const ALREADY_PREPARED = '42P05';
/** More tries than a pool has connections means something else is wrong: the plain statement runs. */
const MAX_TRIES = 24;
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

const codeOf = (error: unknown) => (error as { code?: string })?.code;

/**
 * `em.execute(sql, params, options)`, as a prepared statement. `sql` must be the same text for the
 * same statement (values only in `params`), and every `?` a value (no `??` identifiers).
 */
export async function executePrepared<T>(
  em: EntityManager, sql: string, params: readonly unknown[], options: { method: 'all'; connectionType: 'read' | 'write' },
): Promise<T> {
  const plain = () => em.execute(sql, [...params], options) as Promise<T>;
  // An array value is written in as a list of values (`in (?)`): one placeholder would not hold it.
  if (em.isInTransaction() || params.length === 0 || params.some(Array.isArray)) return plain();
  if (!shapes.has(sql) && shapes.size >= MAX_SHAPES) return plain();
  const shape = shapeOf(em, sql, params.length);
  const run = `execute ${shape.name}(${params.map(() => '?').join(', ')})`;
  for (let tries = 0; tries < MAX_TRIES; tries++) {
    try {
      return await (em.execute(run, [...params], options) as Promise<T>);
    } catch (error) {
      if (codeOf(error) !== NO_SUCH_STATEMENT) throw error;
    }
    try {
      await em.execute(`prepare ${shape.name} as ${shape.text}`, [], { method: 'run', connectionType: options.connectionType });
    } catch (error) {
      if (codeOf(error) !== ALREADY_PREPARED) throw error;
    }
  }
  return plain();
}
