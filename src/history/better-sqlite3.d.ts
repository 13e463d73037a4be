// better-sqlite3 ships no types and @types/better-sqlite3 is not a dependency: sqlite.ts declares the
// small part of its API it uses and casts the module to it.
declare module 'better-sqlite3';
