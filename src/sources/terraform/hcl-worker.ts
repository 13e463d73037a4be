import { parentPort } from 'node:worker_threads';

/**
 * Worker thread running `@cdktf/hcl2json` (Go compiled to WASM, single-threaded), so that the main
 * thread reads files, indexes positions and evaluates modules while HCL is being parsed.
 * Protocol: `{ id, file, text }` in; `{ ready: true }` once started, then `{ id, json }` (hcl2json's
 * JSON text), `{ id, body }` or `{ id, error }` out.
 */

/** hcl2json's output text, kept as text. */
class JsonText {
  constructor(readonly text: string) {}
}

// hcl2json's parse() ends with JSON.parse() of the text the Go side produced. Parsing it here and
// then copying the object to the main thread does the work twice on the parser's critical path, so
// this thread keeps the text and the main thread parses it once. Nothing else runs in this thread.
// The probe below checks that the library still works that way; if not, objects are sent as they are.
// (Node's module loader uses JSON.parse too, so the swap happens after the import.)
const { parse } = await import('@cdktf/hcl2json');
const nativeParse = JSON.parse;
JSON.parse = ((text: string) => new JsonText(text)) as unknown as typeof JSON.parse;
const keepsText = (await parse('probe.tf', 'a = 1').catch(() => undefined)) instanceof JsonText;
if (!keepsText) JSON.parse = nativeParse;

// Files are parsed one after the other, in the order they came. After a stack overflow the Go runtime
// survives, but a second one aborts it (and the process with it): this thread then takes no more
// files, and the main thread gives the ones it had not answered to a fresh worker (hcl-parser.ts).
const queue: Array<{ id: number; file: string; text: string }> = [];
let parsing = false;
let overflowed = false;

async function drain(): Promise<void> {
  if (parsing) return;
  parsing = true;
  while (queue.length > 0 && !overflowed) {
    const message = queue.shift()!;
    try {
      const result: unknown = await parse(message.file, message.text);
      parentPort?.postMessage(result instanceof JsonText ? { id: message.id, json: result.text } : { id: message.id, body: result });
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      overflowed = text.includes('Maximum call stack size exceeded');
      parentPort?.postMessage({ id: message.id, error: text });
    }
  }
  parsing = false;
}

parentPort?.on('message', (message: { id: number; file: string; text: string }) => {
  queue.push(message);
  void drain();
});

// Ready: the main thread starts a file's hcl-parse-time only now, so that the start-up of a fresh
// thread (WASM compiled and started, seconds on a loaded machine) is not charged to the next file.
parentPort?.postMessage({ ready: true });
