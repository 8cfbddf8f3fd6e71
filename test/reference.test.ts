import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// The reference in docs/api is generated from the doc comments, and `npm run docs` fails on an
// undocumented export or property. These are what TypeDoc cannot check: a code of a union is listed
// in its type's comment (the markdown theme does not show comments on union members), and an
// option says its default.
const root = join(import.meta.dirname, '..');

function sourceOf(path: string): ts.SourceFile {
  return ts.createSourceFile(path, readFileSync(join(root, path), 'utf8'), ts.ScriptTarget.Latest, true);
}

function docOf(node: ts.Node): string {
  return ts
    .getJSDocCommentsAndTags(node)
    .map((doc) => doc.getText())
    .join('\n');
}

function unionAlias(path: string, name: string): ts.TypeAliasDeclaration & { type: ts.UnionTypeNode } {
  const alias = sourceOf(path).statements.find((s): s is ts.TypeAliasDeclaration => ts.isTypeAliasDeclaration(s) && s.name.text === name);
  if (alias === undefined || !ts.isUnionTypeNode(alias.type)) throw new Error(`${name} is not a union type alias in ${path}`);
  return alias as ts.TypeAliasDeclaration & { type: ts.UnionTypeNode };
}

/** The members of a string-literal union. */
function codesOf(path: string, name: string): string[] {
  return unionAlias(path, name).type.types.map((t) =>
    ts.isLiteralTypeNode(t) && ts.isStringLiteral(t.literal) ? t.literal.text : t.getText(),
  );
}

/** The codes of a string-literal union that its doc comment does not list as "- `code`: ...". */
function unlistedCodes(path: string, name: string): string[] {
  const doc = docOf(unionAlias(path, name));
  const codes = codesOf(path, name);
  expect(codes.length).toBeGreaterThan(1);
  return codes.filter((code) => !new RegExp(`^\\s*\\*\\s*- \`${code}\`: \\S`, 'm').test(doc));
}

describe('the doc comments the API reference is generated from', () => {
  it('explain every TieredErrorCode', () => {
    expect(unlistedCodes('src/errors/TieredError.ts', 'TieredErrorCode')).toEqual([]);
  });

  it('explain every AttemptErrorCode', () => {
    expect(unlistedCodes('src/call/Attempt.ts', 'AttemptErrorCode')).toEqual([]);
  });

  it('give every optional client option its default', () => {
    const missing: string[] = [];
    for (const statement of sourceOf('src/client/options.ts').statements) {
      if (!ts.isInterfaceDeclaration(statement)) continue;
      for (const member of statement.members) {
        if (!ts.isPropertySignature(member) || member.questionToken === undefined) continue;
        if (!ts.getJSDocTags(member).some((tag) => tag.tagName.text === 'default'))
          missing.push(`${statement.name.text}.${member.name.getText()}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
