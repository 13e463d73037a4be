// A PostgreSQL server for the PostgreSQL history case of the bench: a fresh cluster in a temporary
// directory on 127.0.0.1 at a free port, as test/helpers/postgres.ts starts one for the tests (the
// bench runs plain JavaScript, so it cannot import that TypeScript helper). Debian's server binaries
// (/usr/lib/postgresql/N/bin); as root, the server runs as `nobody` (PostgreSQL refuses root).
// Unlike the tests' cluster, this one keeps fsync on: its figures are those of a real server.

import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The newest server's binary directory, or undefined when none is installed. */
export function postgresBinaries() {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((name) => existsSync(path.join(root, name, 'bin', 'initdb'))) : [];
  return versions.length === 0 ? undefined : path.join(root, versions.sort((a, b) => Number(b) - Number(a))[0], 'bin');
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts a cluster; returns `{ url(database), createDatabase(name), query(database, sql), stop() }`.
 * Throws with what to install when the binaries are missing.
 */
export async function startBenchPostgres() {
  const bin = postgresBinaries();
  if (bin === undefined) throw new Error("PostgreSQL's server binaries are missing (no /usr/lib/postgresql/*/bin/initdb): apt-get install --no-install-recommends postgresql");
  const dir = mkdtempSync(path.join(tmpdir(), 'gatewarden-bench-pg-'));
  const data = path.join(dir, 'data');
  let owner;
  if (userInfo().uid === 0) {
    owner = { uid: Number((await run('id', ['-u', 'nobody'])).stdout.trim()), gid: Number((await run('id', ['-g', 'nobody'])).stdout.trim()) };
    chownSync(dir, owner.uid, owner.gid);
  }
  const server = async (file, args) => {
    const [command, list] = owner ? ['setpriv', ['--reuid', String(owner.uid), '--regid', String(owner.gid), '--clear-groups', '--', path.join(bin, file), ...args]] : [path.join(bin, file), args];
    await run(command, list, { cwd: dir, env: { ...process.env, LC_ALL: 'C.UTF-8' } });
  };
  try {
    await server('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-instructions']);
    const port = await freePort();
    await server('pg_ctl', ['start', '-w', '-t', '30', '-D', data, '-l', path.join(dir, 'server.log'), '-o', `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir}`]);
    const { default: pg } = await import('pg');
    const url = (database) => `postgres://postgres@127.0.0.1:${port}/${database}`;
    const query = async (database, sql) => {
      const client = new pg.Client({ connectionString: url(database) });
      await client.connect();
      try {
        return (await client.query(sql)).rows;
      } finally {
        await client.end();
      }
    };
    return {
      url,
      query,
      async createDatabase(name) {
        await query('postgres', `CREATE DATABASE "${name}"`);
        return url(name);
      },
      async stop() {
        try {
          await server('pg_ctl', ['stop', '-w', '-m', 'fast', '-D', data]);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    await server('pg_ctl', ['stop', '-w', '-m', 'immediate', '-D', data]).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
