/**
 * The source text of a reference solution, ready to paste into a notebook cell.
 *
 * Parsed with the TypeScript compiler API, not with regular expressions: the cell keeps the file's
 * `llm-dynamics` imports and every declaration (with its doc comment), drops the file's header
 * comment, the `writtenAnswer` constant (it goes into the written-answer cell instead) and the
 * `export` keywords (a notebook cell exports nothing). An import of another solution (`./6.C.7`) is
 * dropped: in the workbook that function is defined by an earlier cell, as a learner's would be. Imports
 * from anywhere else are refused, since a cell can only import the library by its package name.
 *
 *     solutionCellSource("/work/main/solutions/6.C.2.ts");
 *     // 'import { … } from "llm-dynamics";\n\nfunction stayFriendlyFull(k: number, …'
 */
import { readFileSync } from "node:fs";
import ts from "typescript";

export interface SolutionSource {
  /** The cell text: imports, then the declarations. */
  cell: string;
  /** Names of the functions declared, in order. */
  functions: string[];
  /** Each function's body text, for leak checks. */
  bodies: Record<string, string>;
  /** Functions imported from other solutions (defined by earlier cells of the workbook). */
  uses: string[];
}

function isWrittenAnswer(statement: ts.Statement): boolean {
  return ts.isVariableStatement(statement) && statement.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === "writtenAnswer");
}

/** The statement's text with its doc comment and without an `export` modifier. */
function textWithoutExport(sf: ts.SourceFile, statement: ts.Statement): string {
  const start = statement.getStart(sf, true);
  let text = sf.text.slice(start, statement.end);
  const modifiers = ts.canHaveModifiers(statement) ? ts.getModifiers(statement) ?? [] : [];
  const exported = modifiers.find((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  if (exported) {
    const a = exported.getStart(sf) - start;
    const b = exported.end - start;
    text = text.slice(0, a) + text.slice(b).replace(/^\s+/, "");
  }
  return text;
}

export function solutionCellSource(file: string): SolutionSource {
  const text = readFileSync(file, "utf8");
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const imports: string[] = [];
  const declarations: string[] = [];
  const functions: string[] = [];
  const bodies: Record<string, string> = {};
  const uses: string[] = [];
  for (const statement of sf.statements) {
    if (ts.isImportDeclaration(statement)) {
      const from = (statement.moduleSpecifier as ts.StringLiteral).text;
      if (/^\.\/\d+(\.C)?\.\d+$/.test(from)) {
        const named = statement.importClause?.namedBindings;
        if (named && ts.isNamedImports(named)) uses.push(...named.elements.map((e) => e.name.text));
        continue;
      }
      if (from !== "llm-dynamics") throw new RangeError(`${file}: a notebook cell can only import "llm-dynamics"; this solution imports ${JSON.stringify(from)}`);
      imports.push(statement.getText(sf));
      continue;
    }
    if (ts.isExportDeclaration(statement)) throw new RangeError(`${file}: re-exports cannot go into a notebook cell: ${statement.getText(sf)}`);
    if (isWrittenAnswer(statement)) continue;
    if (ts.isFunctionDeclaration(statement) && statement.name && statement.body) {
      functions.push(statement.name.text);
      bodies[statement.name.text] = statement.body.getText(sf);
    }
    declarations.push(textWithoutExport(sf, statement));
  }
  const note = uses.length ? [`// Uses ${uses.join(", ")} from the earlier exercise's cell.`] : [];
  return { cell: [...imports, ...note, "", ...declarations.flatMap((d, i) => (i ? ["", d] : [d]))].join("\n").trim(), functions, bodies, uses };
}
