import { packageManagerChanged } from '../../../../src/core/review/rules/package-manager-changed';
import { config, configInput, reviewRuleTable } from './helpers';

reviewRuleTable(packageManagerChanged, {
  valid: [
    { name: 'nothing changed', input: configInput(config({ packageManager: 'pnpm@9.1.0', managerCode: { '.pnpmfile.cjs': 'a' } }), config({ packageManager: 'pnpm@9.1.0', managerCode: { '.pnpmfile.cjs': 'a' } })) },
    { name: 'committed code removed', input: configInput(config({ managerCode: { '.yarn/releases/yarn-4.1.0.cjs': 'a' } }), config()) },
    { name: 'a new project without packageManager', input: configInput(undefined, config()) },
  ],
  invalid: [
    {
      name: 'packageManager bumped',
      input: configInput(config({ packageManager: 'pnpm@9.1.0' }), config({ packageManager: 'pnpm@9.2.0' })),
      expected: [
        {
          rule: 'package-manager-changed',
          severity: 'warning',
          package: 'package.json',
          version: '',
          message:
            'package.json: packageManager changes from pnpm@9.1.0 to pnpm@9.2.0. Corepack downloads and runs the package manager it names on every machine that installs; make sure the version is one you trust (with its +sha512 hash).',
          evidence: { before: 'pnpm@9.1.0', after: 'pnpm@9.2.0' },
        },
      ],
    },
    {
      name: 'the lockfile moves to another manager',
      input: configInput(config(), config({ lockfile: 'pnpm-lock.yaml', manager: 'pnpm' }), { dir: 'apps/web' }),
      expected: [
        {
          rule: 'package-manager-changed',
          severity: 'warning',
          package: 'apps/web/pnpm-lock.yaml',
          version: '',
          message:
            'apps/web moves from npm (package-lock.json) to pnpm (pnpm-lock.yaml). Every package is resolved again, and the new manager has its own settings for release age and install scripts: check that the policy moved with it.',
          evidence: { before: 'npm', after: 'pnpm' },
        },
      ],
    },
    {
      name: 'a Yarn release changed and a pnpm hook added, also in a new project',
      input: configInput(undefined, config({ managerCode: { '.pnpmfile.cjs': 'b', '.yarn/releases/yarn-4.1.0.cjs': 'c' } })),
      expected: [
        {
          rule: 'package-manager-changed',
          severity: 'error',
          package: '.pnpmfile.cjs',
          version: '',
          message: ".pnpmfile.cjs is added: the package manager runs this file itself on every install in the project, before any package. Make sure it is the package manager's own published release or a hook you have read.",
          evidence: { path: '.pnpmfile.cjs', change: 'added' },
        },
        {
          rule: 'package-manager-changed',
          severity: 'error',
          package: '.yarn/releases/yarn-4.1.0.cjs',
          version: '',
          message: ".yarn/releases/yarn-4.1.0.cjs is added: the package manager runs this file itself on every install in the project, before any package. Make sure it is the package manager's own published release or a hook you have read.",
          evidence: { path: '.yarn/releases/yarn-4.1.0.cjs', change: 'added' },
        },
      ],
    },
  ],
});
