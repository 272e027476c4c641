import type { ApiUser } from '../../config/config.ts';
import { CommandError } from '../exitCodes.ts';

/** Django's username characters, at most 150 of them. */
const USER_NAME = /^[A-Za-z0-9@.+_-]{1,150}$/;

/** The directory with `name` added under `key`. @throws CommandError when the name is invalid or taken. */
export function addUser(users: readonly ApiUser[], name: string, key: string): ApiUser[] {
  if (!USER_NAME.test(name)) throw new CommandError(`"${name}" is not a valid user name: 1-150 letters, digits and @ . + - _ only.`);
  if (users.some((user) => user.name === name)) throw new CommandError(`User "${name}" already exists (use "catalog users rotate ${name}" for a new key).`);
  return [...users, { name, key }];
}

/** The directory with `name`'s key replaced by `key`. @throws CommandError when there is no such user. */
export function rotateUser(users: readonly ApiUser[], name: string, key: string): ApiUser[] {
  requireUser(users, name);
  return users.map((user) => (user.name === name ? { name, key } : user));
}

/** The directory without `name`. @throws CommandError when there is no such user, or it is the last one. */
export function removeUser(users: readonly ApiUser[], name: string): ApiUser[] {
  requireUser(users, name);
  if (users.length === 1) throw new CommandError(`User "${name}" is the only user; add another before removing it.`);
  return users.filter((user) => user.name !== name);
}

function requireUser(users: readonly ApiUser[], name: string): void {
  if (!users.some((user) => user.name === name)) throw new CommandError(`There is no user "${name}".`);
}
