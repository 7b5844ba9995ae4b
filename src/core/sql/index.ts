// The SQL statement analyser: tokens, what a statement does, and what data a list of statements loses.
export { dataLossOf, describeDataLoss, type DataLoss, type SchemaLookup } from './data-loss.js';
export {
  parseStatement,
  type AlterAction,
  type ColumnDefinition,
  type ConstraintKind,
  type SelectSource,
  type Statement,
  type TableRef,
  type TransactionAction,
} from './statement.js';
export { splitStatements, tokenize, type Token, type TokenKind } from './tokens.js';
export { lintRevision, rawSqlWarning, type ColumnTypes, type LintRule, type LintWarning, type LiveSchema, type RevisionSql } from './lint.js';
