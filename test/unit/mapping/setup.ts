import { createSourceParsers, type SourceParsers } from '../../../src/core/mapping/parsers';
import { WorkspaceIndex } from '../../../src/core/mapping/workspace-index';
import { createDemangler, type Demangle } from '../../../src/core/symbols/demangle';
import {
  createNodeWorkspaceFs,
  loadNodeDemanglerWasm,
  loadNodeParserAssets,
} from '../../../src/node/workspace-fs';
import { fixturePath } from '../helpers/golden';

let parsers: Promise<SourceParsers> | undefined;

/** Tree-sitter parsers loaded once per test process from node_modules. */
export function testParsers(): Promise<SourceParsers> {
  parsers ??= createSourceParsers(loadNodeParserAssets());
  return parsers;
}

/** The real demangler (gecko-profiler-demangle wasm). */
export function testDemangler(): Demangle {
  return createDemangler(loadNodeDemanglerWasm());
}

/** Builds the index of a fixture workspace under test/fixtures/workspaces. */
export async function indexFixture(name: string): Promise<WorkspaceIndex> {
  return WorkspaceIndex.build(createNodeWorkspaceFs(fixturePath('workspaces', name)), await testParsers());
}
