export * from './entities.js';
export * from './location.js';
export * from './unknown.js';
export * from './schema.js';
export * from './diagnostic.js';
export * from './inventory.js';
export * from './findings.js';
