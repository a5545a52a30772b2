import assert from 'node:assert/strict';
import fs from 'node:fs';
import { before, describe, it } from 'node:test';
import { importFromFolded } from '../../../src/core/importers/folded';
import { inputFromBytes } from '../../../src/core/importers/input';
import { importFromPerfScript } from '../../../src/core/importers/perf-script';
import { mapProfile } from '../../../src/core/mapping/map-profile';
import { resolveName } from '../../../src/core/mapping/resolve-name';
import { type WorkspaceFs, WorkspaceIndex } from '../../../src/core/mapping/workspace-index';
import { normalizeFrameName } from '../../../src/core/symbols/normalize';
import { createNodeWorkspaceFs } from '../../../src/node/workspace-fs';
import { fixturePath } from '../helpers/golden';
import { testDemangler, testParsers } from './setup';

// Issue #11 item 4: trait impls (and inherent impls) that differ only in their generic
// arguments. Frames recorded with perf from test/fixtures/mapping/rust-traits/workspace
// (see make.sh there), and the frame of the issue as inferno printed it.

const demangle = testDemangler();
const where = (index: WorkspaceIndex, name: string): string => {
  const r = resolveName(normalizeFrameName(name, {}, { demangle }), index);
  if (r.status === 'found') return `${r.definition.file}:${r.definition.startLine}`;
  if (r.status === 'ambiguous') return `ambiguous ${r.candidates.map((c) => c.startLine).join(',')}`;
  return r.status;
};
const dir = fixturePath('mapping', 'rust-traits');
const read = (f: string) => inputFromBytes(f, new Uint8Array(fs.readFileSync(`${dir}/${f}`)));

function memoryFs(files: Map<string, string>): WorkspaceFs {
  return {
    listFiles: async () => [...files.keys()],
    readFile: async (p) => {
      const t = files.get(p);
      if (t === undefined) throw new Error(`ENOENT ${p}`);
      return t;
    },
  };
}

describe('trait impls told apart by their type arguments (#11 item 4)', () => {
  let index: WorkspaceIndex;
  before(async () => {
    index = await WorkspaceIndex.build(createNodeWorkspaceFs(`${dir}/workspace`), await testParsers());
  });

  it('picks the one `impl From<Value>` of eight `impl From<…> for FhirValue` (perf names)', () => {
    assert.equal(
      where(index, '<trait_impls::value::FhirValue as core::convert::From<trait_impls::json::Value>>::from'),
      'src/value.rs:47',
    );
    assert.equal(
      where(index, '<trait_impls::value::FhirValue as core::convert::From<alloc::string::String>>::from'),
      'src/value.rs:40',
    );
    assert.equal(
      where(index, '<trait_impls::value::FhirValue as core::convert::From<&str>>::from'),
      'src/value.rs:33',
    );
    assert.equal(
      where(
        index,
        '<trait_impls::value::FhirValue as core::convert::From<alloc::collections::btree::map::BTreeMap<alloc::string::String,trait_impls::value::FhirValue>>>::from',
      ),
      'src/value.rs:73',
    );
  });

  it('reads `use … as Json` in the file: `impl From<Json>` is `From<…::json::Value>`', () => {
    assert.equal(
      where(index, '<trait_impls::aliased::Summary as core::convert::From<trait_impls::json::Value>>::from'),
      'src/aliased.rs:13',
    );
    assert.equal(
      where(index, '<trait_impls::aliased::Summary as core::convert::From<f64>>::from'),
      'src/aliased.rs:30',
    );
  });

  it('inherent impls of a generic type: `Matrix<f32>::norm` (legacy) and `<Matrix<f64>>::norm` (v0)', () => {
    assert.equal(where(index, 'trait_impls::matrix::Matrix<f32>::norm'), 'src/matrix.rs:10');
    assert.equal(where(index, '<trait_impls::matrix::Matrix<f64>>::norm'), 'src/matrix.rs:17');
  });

  it('stays ambiguous when the arguments fit no impl (never guesses)', () => {
    assert.equal(
      where(index, '<trait_impls::value::FhirValue as core::convert::From<u8>>::from'),
      'ambiguous 19,26,33,40,47,59,66,73',
    );
  });

  it('maps every `from` and `norm` frame of the real perf script and folded recordings', async () => {
    for (const profile of [
      await importFromPerfScript(read('profile.perf')),
      await importFromFolded(read('profile.folded')),
    ]) {
      const mapping = mapProfile(profile, index, { demangle });
      const seen = new Set<string>();
      profile.frames.forEach((f, i) => {
        if (!/::(from|norm)$/.test(f.name.replace(/\+0x[0-9a-f]+$/, ''))) return;
        const m = mapping.frames[i];
        assert.equal(m.status, 'workspace', `${f.name}: ${JSON.stringify(m)}`);
        seen.add(`${m.definition?.file}:${m.definition?.startLine}`);
      });
      assert.ok(seen.has('src/value.rs:47'), [...seen].join(' '));
      assert.ok(seen.has('src/matrix.rs:10') && seen.has('src/matrix.rs:17'), [...seen].join(' '));
    }
  });

  it('the frame of the issue: `From<serde_json::value::Value>` with `use serde_json::Value` (inferno name)', async () => {
    const froms = [
      'bool',
      'i64',
      'String',
      '&str',
      'Value',
      'Vec<FhirPathValue>',
      'Option<FhirPathValue>',
      'rust_decimal::Decimal',
    ];
    const files = new Map([
      ['Cargo.toml', '[package]\nname = "octofhir-fhirpath"\n'],
      ['src/lib.rs', 'pub mod model;\n'],
      ['src/model/mod.rs', 'pub mod value;\n'],
      [
        'src/model/value.rs',
        `use serde_json::Value;\nuse std::collections::HashMap;\n\npub enum FhirPathValue { Empty }\n\n${froms
          .map(
            (t) =>
              `impl From<${t}> for FhirPathValue {\n    fn from(_: ${t}) -> Self {\n        FhirPathValue::Empty\n    }\n}\n`,
          )
          .join('\n')}`,
      ],
    ]);
    const idx = await WorkspaceIndex.build(memoryFs(files), await testParsers());
    const line = (t: string) => 6 + froms.indexOf(t) * 6 + 1;
    assert.equal(
      where(
        idx,
        '<octofhir_fhirpath::model::value::FhirPathValue as core::convert::From<serde_json::value::Value>>::from',
      ),
      `src/model/value.rs:${line('Value')}`,
    );
    assert.equal(
      where(
        idx,
        '<octofhir_fhirpath::model::value::FhirPathValue as core::convert::From<alloc::vec::Vec<octofhir_fhirpath::model::value::FhirPathValue>>>::from',
      ),
      `src/model/value.rs:${line('Vec<FhirPathValue>')}`,
    );
    assert.equal(
      where(
        idx,
        '<octofhir_fhirpath::model::value::FhirPathValue as core::convert::From<rust_decimal::decimal::Decimal>>::from',
      ),
      `src/model/value.rs:${line('rust_decimal::Decimal')}`,
    );
  });
});

describe('code a derive writes (serde shapes as inferno/FlameGraph print them)', () => {
  it('lands on the file that defines the type, also for nested `<<… as Visitor>::visit_map::__DeserializeWith …>`', async () => {
    const files = new Map([
      ['Cargo.toml', '[package]\nname = "my-app"\n'],
      ['src/main.rs', 'mod model;\nfn main() {}\n'],
      [
        'src/model.rs',
        '#[derive(serde::Deserialize)]\npub struct LineInfo {\n    pub key: String,\n}\n\n#[derive(serde::Deserialize)]\npub enum Meta {\n    A,\n}\n',
      ],
    ]);
    const idx = await WorkspaceIndex.build(memoryFs(files), await testParsers());
    const at = (name: string) => {
      const r = resolveName(normalizeFrameName(name, {}, { demangle }), idx);
      return r.status === 'file' || r.status === 'found'
        ? `${r.status} ${'file' in r ? r.file : r.definition.file}`
        : r.status;
    };
    for (const frame of [
      'my_app::model::_::<impl serde::de::Deserialize for my_app::model::LineInfo>::deserialize',
      '<my_app::model::_::<impl serde::de::Deserialize for my_app::model::LineInfo>::deserialize::__Visitor as serde::de::Visitor>::visit_map',
      '<<my_app::model::_::<impl serde::de::Deserialize for my_app::model::LineInfo>::deserialize::__Visitor as serde::de::Visitor>::visit_map::__DeserializeWith as serde::de::Deserialize>::deserialize',
      '<my_app::model::_::<impl serde::de::Deserialize for my_app::model::Meta>::deserialize::__FieldVisitor as serde::de::Visitor>::visit_str',
    ])
      assert.equal(at(frame), 'file src/model.rs', frame);
    // a type the workspace does not define stays outside
    assert.equal(
      at(
        '<serde_json::_::<impl serde::de::Deserialize for serde_json::Value>::deserialize::__Visitor as serde::de::Visitor>::visit_map',
      ),
      'external',
    );
  });
});
