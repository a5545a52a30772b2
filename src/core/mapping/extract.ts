import type { Node } from '@vscode/tree-sitter-wasm';
import { splitTopLevel, stripGenerics } from '../symbols/split';
import { cppParamTypes, genericArgs, normalizeTypeArg } from '../symbols/type-args';
import type { GrammarId } from './parsers';

/**
 * Extraction of function definitions from tree-sitter syntax trees, per language.
 * Everything returned is plain data (structured-cloneable): names, containers and
 * 1-based inclusive line ranges.
 */

/** Language of an indexed definition. */
export type DefinitionLanguage = 'rust' | 'cpp' | 'go' | 'python' | 'js';

/** One function (or method) defined in a workspace file. */
export interface Definition {
  /** The function's own name (`child`, `operator()`, `__init__`, `<anonymous>`). */
  readonly name: string;
  readonly language: DefinitionLanguage;
  /** 1-based first line of the definition (its signature, attributes excluded). */
  readonly startLine: number;
  /** 1-based last line (inclusive). */
  readonly endLine: number;
  /**
   * Scopes inside the file, outermost first: Rust inline `mod x { }` names,
   * C++ namespaces and classes, Python/JS classes. Does not include {@link typeName}
   * when the type comes from a Rust `impl` block or a Go receiver.
   */
  readonly container: readonly string[];
  /** Self type: Rust `impl Type`/`impl Trait for Type`, C++ class, Go receiver, Python/JS class. */
  readonly typeName?: string;
  /** Rust trait: `impl Trait for Type`, or the trait whose body holds a default method. */
  readonly traitName?: string;
  /** True for a default method written inside a Rust `trait` body. */
  readonly inTraitBody?: boolean;
  /**
   * Rust: generic arguments of the `impl` block's self type (`impl Matrix<f32>` → `['f32']`),
   * normalized with `normalizeTypeArg` and the file's `use … as …` aliases.
   */
  readonly typeArgs?: readonly string[];
  /** Rust: generic arguments of the implemented trait (`impl From<Json> for X`, `use …::Value as Json` → `['Value']`). */
  readonly traitArgs?: readonly string[];
  /** Rust: the `impl` block's own type parameters (`impl<T> From<Vec<T>> for X` → `['T']`). */
  readonly implParams?: readonly string[];
  /** C++: parameter base types (`scale(float x)` → `['float']`; see `cppParamTypes`). */
  readonly params?: readonly string[];
  /** Names of the functions this one is nested in, outermost first (empty for top-level functions). */
  readonly enclosing: readonly string[];
}

/** A Rust `mod name;` declaration (out-of-line module), with its `#[path = "…"]` when present. */
export interface RustModDecl {
  readonly name: string;
  /** Inline modules enclosing the declaration inside its file. */
  readonly container: readonly string[];
  readonly pathAttr?: string;
}

/** A Rust `struct`, `enum` or `union` definition. */
export interface RustTypeDefinition {
  readonly name: string;
  /** 1-based first line (attributes such as `#[derive(…)]` excluded). */
  readonly startLine: number;
  /** Inline modules enclosing it inside its file. */
  readonly container: readonly string[];
}

/** What one file contributes to the index. */
export interface FileSymbols {
  readonly definitions: Definition[];
  /** Rust only: out-of-line module declarations. */
  readonly modDecls?: RustModDecl[];
  /**
   * Rust only: every `impl` block, as a definition named `impl` spanning the block (with its
   * type, trait and generic arguments): the place of methods that a macro writes.
   */
  readonly implBlocks?: Definition[];
  /** Rust only: struct, enum and union definitions (where derived and macro-written code belongs). */
  readonly rustTypes?: RustTypeDefinition[];
  /** Go only: the `package` clause name. */
  readonly goPackage?: string;
}

interface Scope {
  readonly container: string[];
  readonly typeName?: string;
  readonly traitName?: string;
  readonly inTraitBody?: boolean;
  readonly typeArgs?: string[];
  readonly traitArgs?: string[];
  readonly implParams?: string[];
  readonly enclosing: string[];
}

const TOP: Scope = { container: [], enclosing: [] };

function lines(node: Node): { startLine: number; endLine: number } {
  return { startLine: node.startPosition.row + 1, endLine: node.endPosition.row + 1 };
}

function named(node: Node): Node[] {
  return node.namedChildren.filter((c): c is Node => c !== null);
}

function unRaw(name: string): string {
  return name.startsWith('r#') ? name.slice(2) : name;
}

/**
 * Extracts definitions from a parsed file.
 * @param grammar the grammar the tree was parsed with
 * @param root the tree's root node (read synchronously; nothing keeps a reference)
 */
export function extractSymbols(grammar: GrammarId, root: Node): FileSymbols {
  switch (grammar) {
    case 'rust':
      return extractRust(root);
    case 'cpp':
      return { definitions: extractCpp(root) };
    case 'go':
      return extractGo(root);
    case 'python':
      return { definitions: extractPython(root) };
    default:
      return { definitions: extractJs(root) };
  }
}

// ── Rust ────────────────────────────────────────────────────────────────────

/** Innermost type name of a Rust type node: `Vec<T>` → `Vec`, `crate::a::Foo` → `Foo`, `&mut Foo` → `Foo`. */
function rustTypeName(node: Node | null): string | undefined {
  if (!node) return undefined;
  switch (node.type) {
    case 'type_identifier':
    case 'primitive_type':
    case 'identifier':
      return unRaw(node.text);
    case 'generic_type':
      return rustTypeName(node.childForFieldName('type'));
    case 'scoped_type_identifier':
    case 'scoped_identifier':
      return rustTypeName(node.childForFieldName('name'));
    case 'reference_type':
    case 'pointer_type':
      return rustTypeName(node.childForFieldName('type'));
    default:
      return node.text;
  }
}

/** `use a::b::Value as Json;` and `type Json = a::b::Value;` anywhere in the file: alias → `Value`. */
function rustAliases(root: Node): Map<string, string> {
  const aliases = new Map<string, string>();
  const visit = (node: Node): void => {
    for (const child of named(node)) {
      if (child.type === 'use_as_clause') {
        const target = rustTypeName(child.childForFieldName('path'));
        const alias = child.childForFieldName('alias')?.text;
        if (target && alias && target !== alias) aliases.set(unRaw(alias), target);
      } else if (child.type === 'type_item' && !child.childForFieldName('type_parameters')) {
        const alias = child.childForFieldName('name')?.text;
        const target = child.childForFieldName('type');
        if (alias && target && /^[\w:]+$/.test(target.text)) {
          const name = rustTypeName(target);
          if (name && name !== alias) aliases.set(alias, name);
        }
      } else if (
        child.type === 'use_declaration' ||
        child.type === 'scoped_use_list' ||
        child.type === 'use_list' ||
        child.type === 'mod_item' ||
        child.type === 'declaration_list'
      ) {
        visit(child);
      }
    }
  };
  visit(root);
  return aliases;
}

/** Normalized generic arguments of a Rust type node (`From<Value>` → `['Value']`). */
function rustTypeArgs(node: Node | null, aliases: ReadonlyMap<string, string>): string[] | undefined {
  if (!node) return undefined;
  let t: Node | null = node;
  while (t && (t.type === 'reference_type' || t.type === 'pointer_type')) t = t.childForFieldName('type');
  if (t?.type !== 'generic_type') return undefined;
  return genericArgs(t.text)?.map((a) => normalizeTypeArg(a, aliases));
}

/** Type parameter names of an `impl<…>` (lifetimes and const parameters excluded). */
function rustImplParams(impl: Node): string[] {
  const params = impl.childForFieldName('type_parameters');
  if (!params) return [];
  const out: string[] = [];
  for (const p of named(params)) {
    if (p.type === 'type_identifier') out.push(p.text);
    else if (p.type === 'constrained_type_parameter' || p.type === 'optional_type_parameter') {
      const left = p.childForFieldName('left') ?? p.childForFieldName('name') ?? named(p)[0];
      if (left && left.type === 'type_identifier') out.push(left.text);
    } else if (p.type === 'type_parameter') {
      const n = p.childForFieldName('name');
      if (n) out.push(n.text);
    } else if (p.type === 'const_parameter') {
      const n = p.childForFieldName('name');
      if (n) out.push(n.text);
    }
  }
  return out;
}

function extractRust(root: Node): FileSymbols {
  const definitions: Definition[] = [];
  const modDecls: RustModDecl[] = [];
  const implBlocks: Definition[] = [];
  const rustTypes: RustTypeDefinition[] = [];
  const aliases = rustAliases(root);
  const visit = (node: Node, scope: Scope): void => {
    for (const child of named(node)) {
      switch (child.type) {
        case 'function_item': {
          const nameNode = child.childForFieldName('name');
          if (!nameNode) break;
          const name = unRaw(nameNode.text);
          definitions.push({
            name,
            language: 'rust',
            ...lines(child),
            container: scope.container,
            ...(scope.typeName !== undefined ? { typeName: scope.typeName } : {}),
            ...(scope.traitName !== undefined ? { traitName: scope.traitName } : {}),
            ...(scope.inTraitBody ? { inTraitBody: true } : {}),
            ...(scope.typeArgs !== undefined ? { typeArgs: scope.typeArgs } : {}),
            ...(scope.traitArgs !== undefined ? { traitArgs: scope.traitArgs } : {}),
            ...(scope.implParams !== undefined && scope.implParams.length > 0
              ? { implParams: scope.implParams }
              : {}),
            enclosing: scope.enclosing,
          });
          const body = child.childForFieldName('body');
          if (body) visit(body, { container: scope.container, enclosing: [...scope.enclosing, name] });
          break;
        }
        case 'impl_item': {
          const body = child.childForFieldName('body');
          const typeName = rustTypeName(child.childForFieldName('type'));
          const traitName = rustTypeName(child.childForFieldName('trait'));
          const typeArgs = rustTypeArgs(child.childForFieldName('type'), aliases);
          const traitArgs = rustTypeArgs(child.childForFieldName('trait'), aliases);
          const implParams = rustImplParams(child);
          if (typeName !== undefined && scope.enclosing.length === 0) {
            implBlocks.push({
              name: 'impl',
              language: 'rust',
              ...lines(child),
              container: scope.container,
              typeName,
              ...(traitName !== undefined ? { traitName } : {}),
              ...(typeArgs !== undefined ? { typeArgs } : {}),
              ...(traitArgs !== undefined ? { traitArgs } : {}),
              ...(implParams.length > 0 ? { implParams } : {}),
              enclosing: [],
            });
          }
          if (body) {
            visit(body, {
              container: scope.container,
              enclosing: scope.enclosing,
              ...(typeName !== undefined ? { typeName } : {}),
              ...(traitName !== undefined ? { traitName } : {}),
              ...(typeArgs !== undefined ? { typeArgs } : {}),
              ...(traitArgs !== undefined ? { traitArgs } : {}),
              implParams,
            });
          }
          break;
        }
        case 'trait_item': {
          const body = child.childForFieldName('body');
          const traitName = rustTypeName(child.childForFieldName('name'));
          if (body && traitName) {
            visit(body, {
              container: scope.container,
              enclosing: scope.enclosing,
              traitName,
              inTraitBody: true,
            });
          }
          break;
        }
        case 'struct_item':
        case 'enum_item':
        case 'union_item': {
          const name = child.childForFieldName('name')?.text;
          if (name && scope.enclosing.length === 0)
            rustTypes.push({
              name: unRaw(name),
              startLine: child.startPosition.row + 1,
              container: scope.container,
            });
          break;
        }
        case 'mod_item': {
          const name = unRaw(child.childForFieldName('name')?.text ?? '');
          const body = child.childForFieldName('body');
          if (body) {
            visit(body, { container: [...scope.container, name], enclosing: scope.enclosing });
          } else if (scope.enclosing.length === 0) {
            const pathAttr = rustPathAttribute(child);
            modDecls.push({
              name,
              container: scope.container,
              ...(pathAttr !== undefined ? { pathAttr } : {}),
            });
          }
          break;
        }
        case 'macro_invocation':
        case 'macro_definition':
          break;
        default:
          if (scope.enclosing.length > 0 || child.type === 'declaration_list' || child.type === 'block') {
            visit(child, scope);
          } else if (child.namedChildCount > 0 && isRustItemWrapper(child.type)) {
            visit(child, scope);
          }
      }
    }
  };
  visit(root, TOP);
  return { definitions, modDecls, implBlocks, rustTypes };
}

function isRustItemWrapper(type: string): boolean {
  return (
    type === 'foreign_mod_item' ||
    type === 'declaration_list' ||
    type === 'const_item' ||
    type === 'static_item'
  );
}

/** `#[path = "x/y.rs"]` on the attribute items right before a `mod` item. */
function rustPathAttribute(modItem: Node): string | undefined {
  let prev = modItem.previousNamedSibling;
  while (
    prev &&
    (prev.type === 'attribute_item' || prev.type === 'line_comment' || prev.type === 'block_comment')
  ) {
    if (prev.type === 'attribute_item') {
      const m = /^#\[\s*path\s*=\s*"([^"]*)"\s*\]$/.exec(prev.text);
      if (m) return m[1];
    }
    prev = prev.previousNamedSibling;
  }
  return undefined;
}

// ── C / C++ ─────────────────────────────────────────────────────────────────

function cppDeclaratorName(node: Node | null): string | undefined {
  let cur = node;
  while (cur) {
    switch (cur.type) {
      case 'function_declarator':
      case 'pointer_declarator':
      case 'reference_declarator':
      case 'parenthesized_declarator':
      case 'attributed_declarator':
        cur = cur.childForFieldName('declarator') ?? named(cur)[0] ?? null;
        break;
      case 'identifier':
      case 'field_identifier':
      case 'qualified_identifier':
      case 'destructor_name':
      case 'operator_name':
      case 'template_function':
      case 'operator_cast':
        return cur.text;
      default:
        return undefined;
    }
  }
  return undefined;
}

/** The text between the parentheses of a C++ function declarator's parameter list. */
function cppParameterList(node: Node | null): string | undefined {
  let cur = node;
  while (cur) {
    if (cur.type === 'function_declarator') {
      const params = cur.childForFieldName('parameters');
      return params ? params.text.replace(/^\(|\)$/g, '') : undefined;
    }
    cur = cur.childForFieldName('declarator') ?? null;
  }
  return undefined;
}

function extractCpp(root: Node): Definition[] {
  const out: Definition[] = [];
  const visit = (node: Node, scope: Scope): void => {
    for (const child of named(node)) {
      switch (child.type) {
        case 'function_definition': {
          const text = cppDeclaratorName(child.childForFieldName('declarator'));
          if (!text) break;
          const parts = splitTopLevel(text.replace(/\s+/g, ' '), '::')
            .map((p) => stripGenerics(p.trim()).text)
            .filter((p) => p !== '');
          const name = parts.pop() ?? text;
          const container = [...scope.container, ...parts];
          const typeName = parts.length > 0 ? parts[parts.length - 1] : scope.typeName;
          const paramList = cppParameterList(child.childForFieldName('declarator'));
          out.push({
            name,
            language: 'cpp',
            ...lines(child),
            container,
            ...(typeName !== undefined ? { typeName } : {}),
            ...(paramList !== undefined ? { params: cppParamTypes(paramList) } : {}),
            enclosing: scope.enclosing,
          });
          break;
        }
        case 'namespace_definition': {
          const name = child.childForFieldName('name')?.text ?? '(anonymous namespace)';
          const body = child.childForFieldName('body');
          if (body) visit(body, { container: [...scope.container, ...name.split('::')], enclosing: [] });
          break;
        }
        case 'class_specifier':
        case 'struct_specifier':
        case 'union_specifier': {
          const nameNode = child.childForFieldName('name');
          const body = child.childForFieldName('body');
          if (nameNode && body) {
            const name = stripGenerics(nameNode.text).text;
            visit(body, { container: [...scope.container, name], typeName: name, enclosing: [] });
          }
          break;
        }
        case 'template_declaration':
        case 'linkage_specification':
        case 'declaration_list':
        case 'field_declaration_list':
        case 'preproc_if':
        case 'preproc_ifdef':
        case 'preproc_else':
        case 'preproc_elif':
        case 'access_specifier':
          visit(child, scope);
          break;
        case 'declaration':
        case 'field_declaration':
        case 'type_definition':
          // `struct X { ... } x;` and `typedef struct X { ... } Y;` hold class bodies.
          visit(child, scope);
          break;
        default:
          break;
      }
    }
  };
  visit(root, TOP);
  return out;
}

// ── Go ──────────────────────────────────────────────────────────────────────

function goReceiverType(method: Node): string | undefined {
  const recv = method.childForFieldName('receiver');
  if (!recv) return undefined;
  const param = named(recv).find((n) => n.type === 'parameter_declaration');
  let t = param?.childForFieldName('type') ?? null;
  while (t && (t.type === 'pointer_type' || t.type === 'parenthesized_type')) t = named(t)[0] ?? null;
  if (t?.type === 'generic_type') t = t.childForFieldName('type');
  return t?.text;
}

function extractGo(root: Node): FileSymbols {
  const definitions: Definition[] = [];
  let goPackage: string | undefined;
  for (const child of named(root)) {
    if (child.type === 'package_clause') {
      goPackage = named(child)[0]?.text;
    } else if (child.type === 'function_declaration' || child.type === 'method_declaration') {
      const name = child.childForFieldName('name')?.text;
      if (!name) continue;
      const typeName = child.type === 'method_declaration' ? goReceiverType(child) : undefined;
      definitions.push({
        name,
        language: 'go',
        ...lines(child),
        container: [],
        ...(typeName !== undefined ? { typeName } : {}),
        enclosing: [],
      });
    }
  }
  return { definitions, ...(goPackage !== undefined ? { goPackage } : {}) };
}

// ── Python ──────────────────────────────────────────────────────────────────

function extractPython(root: Node): Definition[] {
  const out: Definition[] = [];
  const visit = (node: Node, scope: Scope): void => {
    for (const child of named(node)) {
      if (child.type === 'function_definition') {
        const name = child.childForFieldName('name')?.text;
        if (!name) continue;
        const def = child.parent?.type === 'decorated_definition' ? child.parent : child;
        out.push({
          name,
          language: 'python',
          startLine: child.startPosition.row + 1,
          endLine: def.endPosition.row + 1,
          container: scope.container,
          ...(scope.typeName !== undefined && scope.enclosing.length === 0
            ? { typeName: scope.typeName }
            : {}),
          enclosing: scope.enclosing,
        });
        const body = child.childForFieldName('body');
        if (body) visit(body, { container: scope.container, enclosing: [...scope.enclosing, name] });
      } else if (child.type === 'class_definition') {
        const name = child.childForFieldName('name')?.text;
        const body = child.childForFieldName('body');
        if (name && body)
          visit(body, { container: [...scope.container, name], typeName: name, enclosing: scope.enclosing });
      } else if (
        child.type === 'decorated_definition' ||
        child.type === 'block' ||
        /_statement$|_clause$/.test(child.type)
      ) {
        visit(child, scope);
      }
    }
  };
  visit(root, TOP);
  return out;
}

// ── JavaScript / TypeScript ─────────────────────────────────────────────────

const JS_FUNCTION_VALUES = new Set([
  'arrow_function',
  'function_expression',
  'function',
  'generator_function',
]);

function extractJs(root: Node): Definition[] {
  const out: Definition[] = [];
  const add = (name: string, node: Node, scope: Scope): void => {
    out.push({
      name,
      language: 'js',
      ...lines(node),
      container: scope.container,
      ...(scope.typeName !== undefined ? { typeName: scope.typeName } : {}),
      enclosing: scope.enclosing,
    });
  };
  const inner = (fn: Node, scope: Scope, name: string): void => {
    const body = fn.childForFieldName('body');
    if (body) visit(body, { container: scope.container, enclosing: [...scope.enclosing, name] });
  };
  const visit = (node: Node, scope: Scope): void => {
    for (const child of named(node)) {
      switch (child.type) {
        case 'function_declaration':
        case 'generator_function_declaration': {
          const name = child.childForFieldName('name')?.text;
          if (!name) break;
          add(name, child, scope.typeName ? { ...scope, typeName: undefined } : scope);
          inner(child, scope, name);
          break;
        }
        case 'method_definition':
        case 'method_signature': {
          const name = child.childForFieldName('name')?.text.replace(/^#/, '');
          if (!name) break;
          add(name, child, scope);
          inner(child, scope, name);
          break;
        }
        case 'class_declaration':
        case 'class':
        case 'abstract_class_declaration': {
          const name = child.childForFieldName('name')?.text;
          const body = child.childForFieldName('body');
          if (body && name)
            visit(body, {
              container: [...scope.container, name],
              typeName: name,
              enclosing: scope.enclosing,
            });
          break;
        }
        case 'variable_declarator':
        case 'public_field_definition':
        case 'field_definition': {
          const nameNode = child.childForFieldName('name') ?? child.childForFieldName('property');
          const value = child.childForFieldName('value');
          if (nameNode && value && JS_FUNCTION_VALUES.has(value.type)) {
            const name = nameNode.text.replace(/^#/, '');
            add(name, child, scope);
            inner(value, scope, name);
          } else if (value) {
            visit(child, scope);
          }
          break;
        }
        default:
          visit(child, scope);
      }
    }
  };
  visit(root, TOP);
  return out;
}
