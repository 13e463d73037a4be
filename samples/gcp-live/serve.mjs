// Serves a recorded GCP project (insecure.json or fixed.json) as Google Cloud would, on 127.0.0.1,
// with a metadata server for Application Default Credentials, so that `gatewarden audit gcp` can be
// tried without a GCP project. Usage: node samples/gcp-live/serve.mjs insecure|fixed [PORT]
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeGcp } from '../../test/helpers/fake-gcp.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
/** The day the samples were recorded: key ages are replayed relative to it. */
const RECORDED_AT = Date.parse('2026-12-04T00:00:00Z');

/**
 * The recorded project, with each document's `file` (relative to this folder) read into `contents`,
 * and each API key's `createTime` moved by as long as has passed since the recording, so a replay
 * shows the keys as old as they were when recorded (two weeks), whatever the day: otherwise the
 * fixed sample would fail api-keys-rotated once its keys' recorded dates grew older than 90 days.
 */
export function loadSample(name) {
  const projects = JSON.parse(readFileSync(path.join(here, `${name}.json`), 'utf8'));
  const elapsed = Date.now() - RECORDED_AT;
  for (const project of Object.values(projects)) {
    for (const key of project.keys ?? []) {
      if (key.createTime) key.createTime = new Date(Date.parse(key.createTime) + elapsed).toISOString();
    }
    for (const api of project.apis ?? []) {
      for (const config of api.configs ?? []) {
        config.documents = (config.documents ?? []).map(({ file, ...document }) => (file ? { ...document, contents: readFileSync(path.join(here, file), 'utf8') } : document));
      }
    }
  }
  return projects;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [variant = 'insecure', port = '8085'] = process.argv.slice(2);
  if (!['insecure', 'fixed'].includes(variant)) {
    process.stderr.write('usage: node samples/gcp-live/serve.mjs insecure|fixed [PORT]\n');
    process.exit(2);
  }
  const fake = await startFakeGcp({ projects: loadSample(variant), port: Number(port) });
  const host = new URL(fake.url).host;
  process.stdout.write(`serving the ${variant} sample at ${fake.url}; in another shell:

  GCE_METADATA_HOST=${host} CLOUDSDK_CONFIG=$(mktemp -d) GOOGLE_APPLICATION_CREDENTIALS= \\
    node bin/gatewarden.js audit gcp --endpoint-url ${fake.url} --format text

Ctrl-C stops it.
`);
}
