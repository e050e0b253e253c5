/** The environment the git end-to-end tests give git and npm: no user or system config, a fixed author, a private npm cache. */

import { join } from 'node:path';

/**
 * Isolated from the developer's machine: git reads neither the system nor the user config, commits
 * get a fixed author, and npm uses `home`'s (absent) user config and its own cache, with no release
 * age so lockfiles can be written against the fixture registry's fresh versions.
 */
export function isolatedGitEnv(home: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: home,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: join(home, 'gitconfig'),
    GIT_AUTHOR_NAME: 'Test',
    GIT_AUTHOR_EMAIL: 'test@example.com',
    GIT_COMMITTER_NAME: 'Test',
    GIT_COMMITTER_EMAIL: 'test@example.com',
    npm_config_userconfig: join(home, 'npmrc'),
    npm_config_cache: join(home, 'npm-cache'),
    npm_config_min_release_age: '',
  };
}
