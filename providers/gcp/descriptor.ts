// The method names of a protobuf FileDescriptorSet (what `protoc --descriptor_set_out` writes, the
// `api_descriptor.pb` of a gRPC API on Cloud Endpoints or API Gateway). Only the names are read:
// file (1) -> package (2) and service (6) -> name (1) and method (2) -> name (1), so a few lines of
// the protobuf wire format do, without a protobuf library.
// @see https://github.com/protocolbuffers/protobuf/blob/main/src/google/protobuf/descriptor.proto
// @see https://protobuf.dev/programming-guides/encoding/

/** A length-delimited field or a scalar, as the wire format carries it. */
interface Field {
  readonly number: number;
  /** The bytes of a length-delimited field (wire type 2); undefined for other wire types. */
  readonly bytes?: Uint8Array;
}

class Malformed extends Error {}

/** The fields of one message, in order; throws {@link Malformed} on bytes that are not one. */
function fieldsOf(bytes: Uint8Array): Field[] {
  const fields: Field[] = [];
  let at = 0;
  const varint = (): number => {
    let value = 0;
    for (let shift = 0; shift < 64; shift += 7) {
      if (at >= bytes.length) throw new Malformed();
      const byte = bytes[at++]!;
      // Lengths and field numbers fit in 2^53; the high bits of larger varints are not needed.
      if (shift < 49) value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return value;
    }
    throw new Malformed();
  };
  while (at < bytes.length) {
    const key = varint();
    const number = Math.floor(key / 8);
    const type = key % 8;
    if (number === 0) throw new Malformed();
    if (type === 0) varint();
    else if (type === 1) at += 8;
    else if (type === 5) at += 4;
    else if (type === 2) {
      const length = varint();
      if (at + length > bytes.length) throw new Malformed();
      fields.push({ number, bytes: bytes.subarray(at, at + length) });
      at += length;
      continue;
    } else throw new Malformed(); // groups (3, 4) are not used by descriptor.proto
    if (at > bytes.length) throw new Malformed();
    fields.push({ number });
  }
  return fields;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function textField(fields: readonly Field[], number: number): string | undefined {
  const found = fields.filter((field) => field.number === number && field.bytes !== undefined).at(-1);
  return found ? utf8.decode(found.bytes) : undefined;
}

/**
 * The fully qualified methods (`pkg.Service.Method`) of every service of a FileDescriptorSet, in the
 * order written; undefined when the bytes are not a FileDescriptorSet (not protobuf, or not UTF-8
 * names), so that a file that is something else is never read as "no methods". Pure.
 */
export function descriptorMethods(bytes: Uint8Array): string[] | undefined {
  try {
    const methods: string[] = [];
    const files = fieldsOf(bytes).filter((field) => field.number === 1);
    if (files.length === 0) return undefined;
    for (const file of files) {
      if (file.bytes === undefined) return undefined;
      const fields = fieldsOf(file.bytes);
      const pkg = textField(fields, 2);
      for (const service of fields.filter((field) => field.number === 6)) {
        if (service.bytes === undefined) return undefined;
        const serviceFields = fieldsOf(service.bytes);
        const name = textField(serviceFields, 1);
        if (name === undefined) return undefined;
        for (const method of serviceFields.filter((field) => field.number === 2)) {
          if (method.bytes === undefined) return undefined;
          const methodName = textField(fieldsOf(method.bytes), 1);
          if (methodName === undefined) return undefined;
          methods.push(`${pkg ? `${pkg}.` : ''}${name}.${methodName}`);
        }
      }
    }
    return methods;
  } catch (error) {
    if (error instanceof Malformed || error instanceof TypeError) return undefined;
    throw error;
  }
}
