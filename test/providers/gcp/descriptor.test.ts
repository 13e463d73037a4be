import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { descriptorMethods } from '../../../providers/gcp/descriptor.js';

const ugly = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/gcp/ugly');

describe('the methods of a FileDescriptorSet', () => {
  it('reads the services and methods protoc wrote, with their package', () => {
    expect(descriptorMethods(readFileSync(path.join(ugly, 'api_descriptor.pb')))).toEqual(['acme.shipping.v1.ShippingService.GetShipment', 'acme.shipping.v1.ShippingService.TrackShipment']);
  });

  it('reads nothing from bytes that are not one: a PNG, a truncated set, text', () => {
    const descriptor = readFileSync(path.join(ugly, 'api_descriptor.pb'));
    expect(descriptorMethods(readFileSync(path.join(ugly, 'logo.png')))).toBeUndefined();
    expect(descriptorMethods(descriptor.subarray(0, descriptor.length - 7))).toBeUndefined();
    expect(descriptorMethods(Buffer.from('\u0000binary'))).toBeUndefined();
    expect(descriptorMethods(Buffer.from('type: google.api.Service\n'))).toBeUndefined();
  });
});
