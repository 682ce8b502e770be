/** The package's version (as its package.json), written into every export's metadata. */
export const EXPORT_PACKAGE_VERSION = '0.1.0';
