/** Reads jsonc-parser syntax trees directly, so no object is ever built from a lockfile's keys. */

import type { Node } from 'jsonc-parser';

/** One `"key": value` pair of an object node; `value` is missing when the file ends after the key. */
export interface Property {
  readonly key: string;
  readonly keyNode: Node;
  readonly value?: Node;
}

/** The properties of an object node in document order (duplicates included); [] for anything else. */
export function propertiesOf(node: Node | undefined): Property[] {
  if (node?.type !== 'object' || !node.children) return [];
  const result: Property[] = [];
  for (const child of node.children) {
    const keyNode = child.children?.[0];
    if (child.type !== 'property' || keyNode?.type !== 'string' || typeof keyNode.value !== 'string') continue;
    result.push({ key: keyNode.value, keyNode, value: child.children?.[1] });
  }
  return result;
}

/**
 * The value of `key` in an object node. Like `JSON.parse`, and so like npm, the last duplicate wins.
 * Compares keys as strings, so `__proto__` or `constructor` are just names here.
 */
export function valueOf(node: Node | undefined, key: string): Node | undefined {
  let found: Node | undefined;
  for (const property of propertiesOf(node)) if (property.key === key) found = property.value;
  return found;
}

export function stringOf(node: Node | undefined, key: string): string | undefined {
  const value = valueOf(node, key);
  return value?.type === 'string' && typeof value.value === 'string' ? value.value : undefined;
}

export function numberOf(node: Node | undefined, key: string): number | undefined {
  const value = valueOf(node, key);
  return value?.type === 'number' && typeof value.value === 'number' ? value.value : undefined;
}

/** True only for a literal `true`: npm writes its flags that way and omits them when false. */
export function isTrue(node: Node | undefined, key: string): boolean {
  const value = valueOf(node, key);
  return value?.type === 'boolean' && value.value === true;
}

/** A literal boolean, or undefined when the key is absent or holds something else. */
export function booleanOf(node: Node | undefined, key: string): boolean | undefined {
  const value = valueOf(node, key);
  return value?.type === 'boolean' && typeof value.value === 'boolean' ? value.value : undefined;
}

/** The keys of an object-valued property such as `dependencies`, in document order, without duplicates. */
export function keysOf(node: Node | undefined, key: string): string[] {
  return [...new Set(propertiesOf(valueOf(node, key)).map((p) => p.key))];
}

/** The string items of an array-valued property. */
export function stringsOf(node: Node | undefined): string[] {
  if (node?.type !== 'array' || !node.children) return [];
  return node.children.flatMap((c) => (c.type === 'string' && typeof c.value === 'string' ? [c.value] : []));
}
