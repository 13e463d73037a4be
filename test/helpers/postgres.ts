import { execFile, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

// A real PostgreSQL server for the history tests: a fresh cluster in a temporary directory, reached
// on 127.0.0.1 at a free port, stopped and removed by stop(). No mock: the PostgreSQL store is tested
// against what it will meet in production, with Debian's server binaries (/usr/lib/postgresql/N/bin,
// which Debian does not put on PATH). Missing binaries fail the tests with what to install; they are
// never skipped.

const run = promisify(execFile);

/** The role with a password (scram-sha-256 over TCP); every other role is trusted. */
export const PASSWORD_ROLE = 'gatewarden_pw';
export const PASSWORD = 'pw-Zq7!x:@/%41 é';

/**
 * The watchdog's program (`node -e WATCHDOG PID DIR COMMAND`): once process PID is gone, runs the
 * COMMAND (a JSON array: pg_ctl stop) and removes DIR.
 */
const WATCHDOG = `
const [pid, dir, command] = process.argv.slice(1);
const { execFileSync } = require('node:child_process');
const { rmSync } = require('node:fs');
setInterval(() => {
  try { process.kill(Number(pid), 0); return; } catch {}
  const [file, ...args] = JSON.parse(command);
  try { execFileSync(file, args, { stdio: 'ignore', timeout: 30000 }); } catch {}
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}, 500);
`;

/** A running test server. */
export interface TestPostgres {
  readonly port: number;
  /** The URL of `database` as the trusted superuser `postgres`. */
  url(database: string): string;
  /** Creates an empty database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Runs SQL in `database` as the superuser and returns the rows. */
  query(database: string, sql: string, params?: readonly unknown[]): Promise<Array<Record<string, unknown>>>;
  stop(): Promise<void>;
}

/** The newest PostgreSQL server's binary directory, or a message that says what to install. */
export function postgresBinaries(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((name) => existsSync(path.join(root, name, 'bin', 'initdb'))) : [];
  if (versions.length === 0) {
    throw new Error(
      "PostgreSQL's server binaries are missing (no /usr/lib/postgresql/*/bin/initdb): the history tests need a real server. Install Debian's postgresql package (apt-get install --no-install-recommends postgresql), as .ci/run does.",
    );
  }
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0]!;
  return path.join(root, newest, 'bin');
}

/** A port nobody listens on now (the server takes it a moment later; a clash fails start, which retries). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Starts a new cluster. PostgreSQL refuses to run as root: as root (CI runs the tests as root),
 * the server runs as `nobody`, which then owns the temporary directory.
 */
export async function startPostgres(): Promise<TestPostgres> {
  const bin = postgresBinaries();
  const dir = mkdtempSync(path.join(tmpdir(), 'gatewarden-pg-'));
  const data = path.join(dir, 'data');
  const asRoot = userInfo().uid === 0;
  let owner: { uid: number; gid: number } | undefined;
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'nobody']);
    const { stdout: gid } = await run('id', ['-g', 'nobody']);
    owner = { uid: Number(stdout.trim()), gid: Number(gid.trim()) };
    chownSync(dir, owner.uid, owner.gid);
  }
  const server = async (file: string, args: readonly string[]): Promise<void> => {
    const command = asRoot ? ['setpriv', ['--reuid', String(owner!.uid), '--regid', String(owner!.gid), '--clear-groups', '--', path.join(bin, file), ...args]] as const : [path.join(bin, file), args] as const;
    try {
      await run(command[0], [...command[1]], { cwd: dir, env: { ...process.env, LC_ALL: 'C.UTF-8' } });
    } catch (error) {
      const { stderr = '', stdout = '' } = error as { stderr?: string; stdout?: string };
      throw new Error(`${file} ${args.join(' ')} failed: ${stderr || stdout || String(error)}`);
    }
  };
  try {
    await server('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync', '--no-instructions']);
    // One role must give a password, to test PGPASSWORD and that no message shows it.
    writeFileSync(path.join(data, 'pg_hba.conf'), `local all all trust\nhost all ${PASSWORD_ROLE} 127.0.0.1/32 scram-sha-256\nhost all all 127.0.0.1/32 trust\n`);
    if (owner) chownSync(path.join(data, 'pg_hba.conf'), owner.uid, owner.gid);
    let port = 0;
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      try {
        // fsync off: a test cluster never survives a crash anyway. The socket stays in the temporary directory.
        await server('pg_ctl', ['start', '-w', '-t', '30', '-D', data, '-l', path.join(dir, 'server.log'), '-o', `-F -c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c max_connections=40`]);
        break;
      } catch (error) {
        if (attempt === 3) throw error;
      }
    }
    const { default: pg } = await import('pg');
    const url = (database: string): string => `postgres://postgres@127.0.0.1:${port}/${database}`;
    const query = async (database: string, sql: string, params: readonly unknown[] = []): Promise<Array<Record<string, unknown>>> => {
      const client = new pg.Client({ connectionString: url(database) });
      await client.connect();
      try {
        return (await client.query(sql, [...params])).rows as Array<Record<string, unknown>>;
      } finally {
        await client.end();
      }
    };
    await query('postgres', `CREATE ROLE ${PASSWORD_ROLE} LOGIN PASSWORD '${PASSWORD.replaceAll("'", "''")}'`);
    // A test worker that ends without afterAll (a crash, a timeout, vitest killing its fork) must not
    // leave a server running: a watchdog process, outside the worker, stops it and removes the
    // directory once the worker is gone, whatever ended it. stop() ends the watchdog first.
    const stopCommand = asRoot ? ['setpriv', '--reuid', String(owner!.uid), '--regid', String(owner!.gid), '--clear-groups', '--', path.join(bin, 'pg_ctl')] : [path.join(bin, 'pg_ctl')];
    const watchdog = spawn(process.execPath, ['-e', WATCHDOG, String(process.pid), dir, JSON.stringify([...stopCommand, 'stop', '-w', '-m', 'immediate', '-D', data])], { detached: true, stdio: 'ignore' });
    watchdog.unref();
    return {
      port,
      url,
      query,
      async createDatabase(name) {
        await query('postgres', `CREATE DATABASE "${name}"`);
        return url(name);
      },
      async stop() {
        watchdog.kill();
        try {
          await server('pg_ctl', ['stop', '-w', '-m', 'immediate', '-D', data]);
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
