import { InputError } from '../core/errors.ts';

/** File name of the per-folder Apache configuration that the CERN web service reads. */
export const ACCESS_FILE = '.htaccess';

/** CERN e-group names: letters, digits, dots, hyphens and underscores. */
const GROUP_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Writes the `.htaccess` text that restricts a folder to members of the given e-groups,
 * after a CERN single sign-on login. `ShibRequireAll On` makes both `Require` lines
 * apply, and a user needs to be in any one of the groups listed on the second.
 *
 * NOTE: these are the Shibboleth directives of the CERN web service before webEOS. According
 * to the webEOS documentation (webeos.docs.cern.ch), .htaccess files are read only when
 * "Use .htaccess files" is enabled in the site's settings, and group access is managed
 * in the Application Portal. Whether webEOS still honours `Require ADFS_GROUP`
 * could not be confirmed, so check the restriction from a browser after publishing.
 */
export function formatAccessFile(groups: string[], source: string): string {
  const invalid = groups.find((group) => !GROUP_NAME.test(group));
  if (invalid !== undefined) {
    throw new InputError(`${source}: invalid e-group name ${JSON.stringify(invalid)}: ` +
      'use letters, digits, dots, hyphens and underscores');
  }
  return [
    '# Restricts this folder to members of the CERN e-groups below, after SSO login.',
    '# Written by `npm run publish`; it is replaced at the next publish.',
    'SSLRequireSSL',
    'AuthType shibboleth',
    'ShibRequireSession On',
    'ShibRequireAll On',
    'ShibExportAssertion Off',
    'Require valid-user',
    `Require ADFS_GROUP ${groups.map((group) => `"${group}"`).join(' ')}`,
    '',
  ].join('\n');
}
