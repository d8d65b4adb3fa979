import { AGGREGATE_SCRIPT } from './nginx-aggregate-script';
import { NGINX_CONFIG_DIR } from './nginx-layout';
import { JWT_NJS_SOURCE } from './njs-jwt';
import { ExposureIntent } from '../../../intent/model';

/**
 * njs (nginx's JavaScript, `ngx_http_js_module`) in the NGINX engine: the features nginx OSS has
 * no directive for run as generated njs modules. Each module's source is a string constant of the
 * package (a file per module), written into the engine's ConfigMap next to nginx.conf; nginx
 * compiles every `js_import`ed module when it loads the configuration, so `nginx -t` checks them.
 * The sources keep to what njs 0.7.9 (Debian 12) and 0.8/0.9 (the pinned image) both run.
 */
export interface NjsModule {
  /** The name the configuration calls it by (`js_import <name> from <file>`; `<name>.<function>`). */
  readonly name: string;
  /** Its file in the configuration directory: `jwt.js`. */
  readonly file: string;
  readonly source: string;
}

/** The JWT check (`Auth.jwt`): `jwt.verify`, the content of the auth subrequest. */
export const JWT_NJS: NjsModule = { name: 'jwt', file: 'jwt.js', source: JWT_NJS_SOURCE };

/**
 * Where the pinned image (nginx.org's build, `nginx-module-njs` installed) has the module: its
 * `modules` directory under the /etc/nginx prefix (a link to /usr/lib/nginx/modules). Written as an
 * absolute path, so it does not depend on the prefix nginx was built with.
 */
export const NJS_MODULE_FILE = '/etc/nginx/modules/ngx_http_js_module.so';

/** The njs module of aggregate routes (`aggregate`): `aggregate.compose` answers them. */
export const AGGREGATE_NJS_MODULE: NjsModule = { name: 'aggregate', file: 'aggregate.js', source: AGGREGATE_SCRIPT };

/**
 * The njs modules an exposure needs, each once, in a fixed order: one line per feature that runs
 * as njs. Empty: the configuration loads no module (and is what it was before njs).
 */
export function njsModulesOf(intent: ExposureIntent): NjsModule[] {
  const needed: (NjsModule | undefined)[] = [
    // Features add their module here.
    intent.routes.some((r) => r.auth?.kind === 'jwt') ? JWT_NJS : undefined,
    intent.routes.some((r) => r.action.kind === 'aggregate') ? AGGREGATE_NJS_MODULE : undefined,
  ];
  return needed.filter((m): m is NjsModule => m !== undefined);
}

/** The main context's first line: `load_module` must precede the blocks that use it. */
export function njsLoadModule(modules: readonly NjsModule[]): string[] {
  return modules.length === 0 ? [] : [`load_module ${NJS_MODULE_FILE};`];
}

/** In `http`: where the modules are, and one `js_import` per module. */
export function njsImports(modules: readonly NjsModule[]): string[] {
  if (modules.length === 0) return [];
  return [`js_path ${NGINX_CONFIG_DIR}/;`, ...modules.map((m) => `js_import ${m.name} from ${m.file};`)];
}

/** The modules' files, for the ConfigMap mounted at the configuration directory. */
export function njsFiles(modules: readonly NjsModule[]): Record<string, string> {
  return Object.fromEntries(modules.map((m) => [m.file, m.source]));
}
