/** Tasks by name and from stored specs (model files keep the spec in metadata.taskSpec). */
import { RnnscopeError } from '../errors.js';
import { booleanTask } from './boolean.js';
import { fhnTask } from './fhn.js';
import { flipFlopTask } from './flipflop.js';
import { levelsTask } from './levels.js';
import { sineTask } from './sine.js';
import type { Task, TaskName, TaskSpec } from './types.js';

export const taskNames: readonly TaskName[] = ['flipflop', 'boolean', 'sine', 'fhn', 'levels'];

/**
 * The task described by a (possibly partial) spec: `{ task: 'flipflop', bits: 4 }` gets every
 * other field from the defaults. Unknown task names throw INVALID_ARGUMENT.
 * @example
 * const task = createTask({ task: 'boolean', op: 'xor' });
 */
export function createTask(spec: Partial<TaskSpec> & { task: TaskName }): Task {
  switch (spec.task) {
    case 'flipflop':
      return flipFlopTask(spec as object);
    case 'boolean':
      return booleanTask(spec as object);
    case 'sine':
      return sineTask(spec as object);
    case 'fhn':
      return fhnTask(spec as object);
    case 'levels':
      return levelsTask(spec as object);
    default:
      throw new RnnscopeError(
        'INVALID_ARGUMENT',
        `unknown task '${String((spec as { task?: unknown }).task)}'; valid tasks: ${taskNames.join(', ')}`,
      );
  }
}

/** Rebuilds a task from JSON (e.g. a model file's metadata), rejecting what is not a task spec. */
export function taskFromJson(value: unknown): Task {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      'a task spec must be an object with a "task" field',
    );
  const name = (value as { task?: unknown }).task;
  if (typeof name !== 'string' || !taskNames.includes(name as TaskName))
    throw new RnnscopeError(
      'INVALID_ARGUMENT',
      `task spec has task ${JSON.stringify(name)}; valid tasks: ${taskNames.join(', ')}`,
    );
  return createTask(value as Partial<TaskSpec> & { task: TaskName });
}
