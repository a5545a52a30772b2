/**
 * Hint rules: which categories of known performance problems (cloning, allocation,
 * hashing, locks, formatting, JSON, B-trees, reparsing, system calls…) a function's
 * stacks show, with a suggestion and the evidence. Pure data in and out.
 */
export {
  asCompiled,
  type CompiledHintRule,
  type CompiledHintRules,
  classifyFrame,
  compileHintRules,
  frameLanguage,
} from './classify';
export { defaultHintRules } from './default-rules';
export {
  type FunctionHint,
  type HintFrame,
  type HintOptions,
  hintsForFunction,
  hintsForProfile,
} from './hints';
export {
  HINT_CATEGORIES,
  type HintCategory,
  type HintLanguage,
  type HintMatcher,
  type HintRule,
} from './types';
export { mergeHintRules, parseUserHintRules } from './user-rules';
