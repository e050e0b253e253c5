/** Flags native executables (`.node` addons, ELF, PE, Mach-O) that a release adds. */

import { formatList } from '../../format';
import type { Finding, Severity } from '../../types';
import type { BinaryFormat, ContentsRule } from '../types';
import { byStep, formatSize, MAX_FILES_PER_RULE, stepText } from './support';

const ID = 'contents-binary-added';

const FORMAT_TEXT: Readonly<Record<BinaryFormat, string>> = {
  'node-addon': 'Node.js native addon',
  elf: 'ELF executable',
  pe: 'Windows PE executable',
  'mach-o': 'Mach-O executable',
};

export const contentsBinaryAdded: ContentsRule = {
  meta: {
    id: ID,
    defaultSeverity: 'error',
    description: 'Adds a native binary (.node addon, ELF, PE or Mach-O) that the previous release did not ship.',
  },
  check: (input) => {
    const { before, after, diff, previous } = input;
    if (before === undefined || previous === undefined) return [];
    const now = new Map(after.files.map((file) => [file.path, file]));
    const added = diff.added.map((path) => now.get(path)).filter((file) => file?.binary !== undefined);
    if (added.length === 0) return [];
    const hadBinaries = before.files.some((file) => file.binary !== undefined);
    // A package that already shipped binaries adding one more (a new platform) is routine: info only.
    const severity: Severity = hadBinaries ? 'info' : byStep(input, 'error');
    const shown = added.slice(0, MAX_FILES_PER_RULE);
    const list = formatList(shown.map((file) => `${file?.path ?? ''} (${FORMAT_TEXT[file?.binary ?? 'elf']}, ${formatSize(file?.size ?? 0)})`));
    const more = added.length > shown.length ? ` and ${added.length - shown.length} more` : '';
    const previousVersion = previous.version;
    const fact = `${input.name}@${input.version} adds ${added.length === 1 ? 'a native binary' : 'native binaries'}: ${list}${more}, ${stepText(input)}; ${previousVersion} ${hadBinaries ? 'already shipped binaries' : 'shipped none'}.`;
    const advice = hadBinaries
      ? 'Check that the new binary matches the package’s published build (release notes, provenance).'
      : `A binary cannot be read like source and runs with your rights once loaded: make sure the package is expected to ship one, or stay on ${previousVersion}.`;
    const finding: Finding = {
      rule: ID,
      severity,
      package: input.name,
      version: input.version,
      message: `${fact} ${advice}`,
      evidence: {
        previousVersion,
        files: shown.map((file) => file?.path ?? ''),
        formats: shown.map((file) => file?.binary ?? ''),
        sizes: shown.map((file) => String(file?.size ?? 0)),
        previousHadBinaries: hadBinaries,
      },
    };
    return [finding];
  },
};
