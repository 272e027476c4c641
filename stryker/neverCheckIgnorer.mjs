// @ts-check
import { declareValuePlugin, PluginKind } from '@stryker-mutator/api/plugin';

/**
 * Ignores the exhaustiveness checks of switches, `default: { const unknown: never = x; return unknown; }`,
 * where the value returned is discarded (the `apply` of a projection returns nothing). Removing
 * the clause or emptying it then changes nothing: both leave the switch doing nothing for a type
 * it does not know. Where the value is used (a decider's `evolve`), such mutants do not
 * type-check; where the clause throws (`decide`), it does not match and is tested.
 */
function isNeverCheck(node) {
  if (node.type !== 'SwitchCase' || node.test !== null || node.consequent.length !== 1) return false;
  const [block] = node.consequent;
  if (block.type !== 'BlockStatement' || block.body.length !== 2) return false;
  const [declaration, returned] = block.body;
  const declarator = declaration.type === 'VariableDeclaration' ? declaration.declarations[0] : undefined;
  const annotation = declarator?.id.typeAnnotation?.typeAnnotation;
  return (
    annotation?.type === 'TSNeverKeyword' &&
    returned.type === 'ReturnStatement' &&
    returned.argument?.type === 'Identifier' &&
    returned.argument.name === declarator.id.name
  );
}

export const strykerPlugins = [
  declareValuePlugin(PluginKind.Ignore, 'NeverCheck', {
    shouldIgnore(path) {
      return isNeverCheck(path.node) ? 'An exhaustiveness check whose value is discarded: removing it changes nothing.' : undefined;
    },
  }),
];
