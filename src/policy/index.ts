// The policy module's public API: packs, the engine and the input errors. Callers (CLI, HTTP, commands)
// import from here only.
export { evaluate, parseAssessmentInput } from './engine.js';
export { validatePack } from './compile.js';
export { PolicyInputError } from './errors.js';
export type { AllowedValue, PolicyInputErrorCode, PolicyInputErrorJSON } from './errors.js';
export { DEFAULT_POLICY_ID, assess, getPack, isInForce, listPacks, packFor } from './registry.js';
export type { AssessOptions } from './registry.js';
export { bj2020 } from './packs/bj-2020.js';
export type * from './types.js';
