export * from './canonical-json.js';
export * from './chain.js';
export * from './entry.js';
export * from './hashing.js';
export * from './money.js';
