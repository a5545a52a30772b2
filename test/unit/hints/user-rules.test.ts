import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { classifyFrame, compileHintRules } from '../../../src/core/hints/classify';
import { defaultHintRules } from '../../../src/core/hints/default-rules';
import { mergeHintRules, parseUserHintRules } from '../../../src/core/hints/user-rules';

const good = {
  id: 'my-parser',
  category: 'reparsing',
  label: 'reparsing: cache the AST',
  suggestion: 'Parse each expression once and keep the tree.',
  match: [
    'my_crate::parser::parse_expression',
    { regex: '::parse_\\w+$', flags: 'i' },
    { contains: 'Lexer::new' },
  ],
  minShare: 0.1,
};

describe('parseUserHintRules', () => {
  it('accepts a valid rule and normalizes its matchers', () => {
    const { rules, problems } = parseUserHintRules([good]);
    assert.deepEqual(problems, []);
    assert.deepEqual(rules, [
      {
        id: 'my-parser',
        category: 'reparsing',
        label: 'reparsing: cache the AST',
        suggestion: 'Parse each expression once and keep the tree.',
        match: [
          { contains: 'my_crate::parser::parse_expression' },
          { regex: '::parse_\\w+$', flags: 'i' },
          { contains: 'Lexer::new' },
        ],
        minShare: 0.1,
      },
    ]);
  });

  it('defaults the label to the category and keeps kind, module and language', () => {
    const { rules, problems } = parseUserHintRules([
      {
        id: 'my-io',
        category: 'syscalls-io',
        suggestion: 'Batch the writes.',
        match: ['write'],
        kind: 'user',
        module: ['libc.so'],
        language: 'c',
      },
    ]);
    assert.deepEqual(problems, []);
    assert.equal(rules[0].label, 'syscalls-io');
    assert.equal(rules[0].kind, 'user');
    assert.deepEqual(rules[0].module, [{ contains: 'libc.so' }]);
    assert.equal(rules[0].language, 'c');
  });

  it('treats undefined and null as no rules, and rejects a non-array', () => {
    assert.deepEqual(parseUserHintRules(undefined), { rules: [], problems: [] });
    assert.deepEqual(parseUserHintRules(null), { rules: [], problems: [] });
    assert.deepEqual(parseUserHintRules({ id: 'x' }), {
      rules: [],
      problems: ['hint rules: expected an array of rules, got object'],
    });
  });

  // Each bad rule is skipped with one message naming the rule, the field and why;
  // the valid rule after it is still accepted.
  const bad: [name: string, rule: unknown, message: RegExp][] = [
    ['not an object', 'Clone::clone', /^hint rule 1: expected an object, got string$/],
    ['an array', ['x'], /^hint rule 1: expected an object, got an array$/],
    [
      'missing id',
      { category: 'x', suggestion: 's', match: ['a'] },
      /^hint rule 1: field "id": .*; rule skipped$/,
    ],
    [
      'category not kebab-case',
      { ...good, category: 'Clone Heavy' },
      /^hint rule 1 \("my-parser"\): field "category": must be a kebab-case id such as "clone-heavy"; rule skipped$/,
    ],
    [
      'invalid regex',
      { ...good, match: [{ regex: '(unclosed' }] },
      /^hint rule 1 \("my-parser"\): field "match\[0\]\.regex": not a valid regular expression \(.*Unterminated group\); rule skipped$/,
    ],
    [
      'stateful regex flag',
      { ...good, match: [{ regex: 'a', flags: 'g' }] },
      /^hint rule 1 \("my-parser"\): field "match\[0\]\.flags": may only contain the flags "i" and "u", each at most once; rule skipped$/,
    ],
    [
      'empty substring',
      { ...good, match: [''] },
      /^hint rule 1 \("my-parser"\): field "match\[0\]": a substring must not be empty; rule skipped$/,
    ],
    [
      'empty match without kind',
      { ...good, match: [] },
      /^hint rule 1 \("my-parser"\): field "match": must list at least one pattern .*; rule skipped$/,
    ],
    [
      'share above 1',
      { ...good, minShare: 5 },
      /^hint rule 1 \("my-parser"\): field "minShare": must be a share between 0 and 1; rule skipped$/,
    ],
    [
      'unknown language',
      { ...good, language: 'cobol' },
      /^hint rule 1 \("my-parser"\): field "language": .*; rule skipped$/,
    ],
    [
      'misspelt key',
      { ...good, mach: ['x'] },
      /^hint rule 1 \("my-parser"\): Unrecognized key: "mach"; rule skipped$/,
    ],
    [
      'disabling rule with extra fields',
      { id: 'rust-btree', enabled: false, match: ['x'] },
      /^hint rule 1 \("rust-btree"\): Unrecognized key: "match"; rule skipped$/,
    ],
  ];
  for (const [name, rule, message] of bad) {
    it(`reports and skips a rule with ${name}`, () => {
      const { rules, problems } = parseUserHintRules([rule, { ...good, id: 'after' }]);
      assert.equal(problems.length, 1, problems.join('\n'));
      assert.match(problems[0], message);
      assert.deepEqual(
        rules.map((r) => r.id),
        ['after'],
      );
    });
  }

  it('counts further problems of the same rule', () => {
    const { problems } = parseUserHintRules([{ id: 'x', category: 'Bad Cat', suggestion: '', match: [] }]);
    assert.equal(problems.length, 1);
    assert.match(problems[0], /\(and \d+ more\); rule skipped$/);
  });

  it('skips a second rule with the same id', () => {
    const { rules, problems } = parseUserHintRules([good, { ...good, label: 'reparsing: other' }]);
    assert.deepEqual(
      rules.map((r) => r.label),
      ['reparsing: cache the AST'],
    );
    assert.deepEqual(problems, [
      'hint rule 2 ("my-parser"): the id "my-parser" is already used by an earlier rule; rule skipped',
    ]);
  });

  it('allows an empty match list with a kind', () => {
    const { rules, problems } = parseUserHintRules([
      { id: 'all-kernel', category: 'syscalls-io', suggestion: 'Fewer syscalls.', match: [], kind: 'kernel' },
    ]);
    assert.deepEqual(problems, []);
    assert.equal(rules.length, 1);
  });
});

describe('mergeHintRules', () => {
  it('replaces a default rule with the same id in place and appends new rules', () => {
    const { rules: user } = parseUserHintRules([
      {
        id: 'rust-btree',
        category: 'btree-map',
        label: 'btree-map: ours',
        suggestion: 'Our advice.',
        match: ['btree'],
      },
      good,
    ]);
    const merged = mergeHintRules(defaultHintRules, user);
    assert.equal(merged.length, defaultHintRules.length + 1);
    const i = defaultHintRules.findIndex((r) => r.id === 'rust-btree');
    assert.equal(merged[i].label, 'btree-map: ours');
    assert.equal(merged[merged.length - 1].id, 'my-parser');
    assert.equal(defaultHintRules[i].label.startsWith('btree-map: FxHashMap'), true, 'defaults unchanged');
  });

  it('switches a default rule off with { id, enabled: false }', () => {
    const { rules: user, problems } = parseUserHintRules([{ id: 'rust-btree', enabled: false }]);
    assert.deepEqual(problems, []);
    const compiled = compileHintRules(mergeHintRules(defaultHintRules, user));
    const name = 'alloc::collections::btree::map::BTreeMap<K,V,A>::insert';
    assert.deepEqual(classifyFrame(name, compiled), []);
    assert.deepEqual(classifyFrame(name, defaultHintRules), ['rust-btree']);
  });

  it('makes a user rule classify frames', () => {
    const { rules: user } = parseUserHintRules([good]);
    const compiled = compileHintRules(mergeHintRules(defaultHintRules, user));
    assert.deepEqual(classifyFrame('my_crate::parser::Parser::PARSE_TERM', compiled), ['my-parser']);
    assert.deepEqual(classifyFrame('my_crate::parser::Parser::eval', compiled), []);
  });
});

describe('user-rules.schema.json (for the settings editor)', () => {
  const schema = JSON.parse(
    fs.readFileSync(path.join(__dirname, '../../../src/core/hints/user-rules.schema.json'), 'utf8'),
  );
  const props = schema.items.properties as Record<string, { enum?: string[] }>;

  it('lists exactly the fields the validator accepts', () => {
    const sample: Record<string, unknown> = {
      id: 'x',
      category: 'reparsing',
      label: 'reparsing: x',
      suggestion: 'x',
      match: ['a'],
      module: ['libc'],
      kind: 'user',
      language: 'go',
      minShare: 0.5,
      enabled: true,
    };
    assert.deepEqual(Object.keys(props).sort(), Object.keys(sample).sort());
    assert.deepEqual(parseUserHintRules([sample]).problems, []);
    assert.match(parseUserHintRules([{ ...sample, extra: 1 }]).problems[0], /Unrecognized key: "extra"/);
  });

  it('has the validator enumerations', () => {
    for (const language of props.language.enum ?? []) {
      assert.deepEqual(parseUserHintRules([{ ...good, language }]).problems, [], language);
    }
    assert.match(parseUserHintRules([{ ...good, language: 'kotlin' }]).problems[0], /field "language"/);
    for (const kind of props.kind.enum ?? []) {
      assert.deepEqual(parseUserHintRules([{ ...good, kind }]).problems, [], kind);
    }
  });
});
