/**
 * What a gateway container reads and writes at start, found from its pod spec and the files of
 * its own view (read after the init containers ran), for the pod simulation to check:
 *
 * - nginx (a container whose command or args run `nginx`): the configuration named by `-c` (the
 *   image's /etc/nginx/nginx.conf without it) and the `-g` directives, parsed as nginx tokenizes
 *   them; every file a directive names: `include` (followed, globs expanded; inside `map`, `geo`,
 *   `types`... the file is data, not directives), certificates, keys, CRLs, dhparams, password
 *   files (`ssl_*`, `proxy_ssl_*`, `grpc_ssl_*`, `uwsgi_ssl_*`), `auth_basic_user_file`,
 *   `js_import`, `js_path`, `load_module`; and what it writes: `pid`, `error_log`, `access_log`,
 *   `lock_file`, the temp and cache paths.
 * - Kong (a container with KONG_* environment): every absolute path in a KONG_* variable (a read
 *   file, except `KONG_PREFIX`, a directory it writes, and `*_LOG`, files it writes), and the
 *   declarative configuration (`KONG_DECLARATIVE_CONFIG`), which must parse as YAML 1.1 with a
 *   `_format_version`, and whose `file-log` plugins write their `path`.
 *
 * - mtail (a container whose args name `--progs`, the image's entrypoint being mtail): the
 *   programs directory and every `*.mtail` program in it (there must be one); `--logs` files
 *   (sockets, `udp://` and the like, are no files).
 *
 * A path with nginx variables cannot be resolved from the files alone: it is reported, not skipped.
 */
import * as path from 'path';
import * as YAML from 'yaml';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Json = any;

/** A path the container opens, and how. */
export interface FileReference {
  readonly path: string;
  readonly access: 'read-file' | 'read-dir' | 'write-file' | 'write-dir';
  /** Where it comes from, for messages: `nginx.conf:12 ssl_certificate`, `env KONG_SSL_CERT`. */
  readonly by: string;
}

/** What a container was found to open, and what could not be told. */
export interface PodFiles {
  readonly references: readonly FileReference[];
  readonly problems: readonly string[];
}

/** A container's view of files (through its mounts). */
export interface FileView {
  /** A file's text; undefined when it is missing. */
  read(podPath: string): string | undefined;
  /** A directory's entries; undefined when it is missing. */
  list(podPath: string): string[] | undefined;
}

/** The files a gateway container opens at start. */
export function filesReadBy(container: Json, env: Readonly<Record<string, string>>, view: FileView): PodFiles {
  const argv: string[] = [...container.command ?? [], ...container.args ?? []];
  const nginxAt = argv.findIndex((a) => path.posix.basename(a) === 'nginx');
  if (nginxAt >= 0) return nginxFiles(argv.slice(nginxAt + 1), view);
  if (Object.keys(env).some((k) => k.startsWith('KONG_'))) return kongFiles(env, view);
  if (argv.includes('--progs')) return mtailFiles(argv, view);
  return { references: [], problems: [`cannot tell what it reads: it runs neither nginx nor Kong (${argv.join(' ') || container.image})`] };
}

// Directives whose first argument is a file nginx reads (at start, or on every request).
const READ_FILES = new Set([
  'ssl_certificate', 'ssl_certificate_key', 'ssl_trusted_certificate', 'ssl_client_certificate', 'ssl_crl', 'ssl_dhparam',
  'ssl_password_file', 'ssl_session_ticket_key', 'ssl_stapling_file', 'auth_basic_user_file',
  ...['proxy', 'grpc', 'uwsgi'].flatMap((p) => ['certificate', 'certificate_key', 'trusted_certificate', 'crl', 'password_file'].map((f) => `${p}_ssl_${f}`)),
]);
// Directives whose first argument is a directory nginx creates (one level) and writes to.
const WRITE_DIRS = new Set([
  'client_body_temp_path', 'proxy_temp_path', 'fastcgi_temp_path', 'uwsgi_temp_path', 'scgi_temp_path',
  'proxy_cache_path', 'fastcgi_cache_path', 'uwsgi_cache_path', 'scgi_cache_path', 'working_directory',
]);
const WRITE_FILES = new Set(['pid', 'lock_file', 'error_log', 'access_log']);
// Blocks whose `include` brings in data (map entries, MIME types...), not directives.
const DATA_BLOCKS = new Set(['map', 'geo', 'types', 'split_clients', 'charset_map', 'match']);

interface Directive {
  readonly name: string;
  readonly args: readonly string[];
  readonly children?: readonly Directive[];
  readonly where: string;
}

function nginxFiles(args: readonly string[], view: FileView): PodFiles {
  const references: FileReference[] = [];
  const problems: string[] = [];
  // The official images' prefix; relative configuration paths resolve against the configuration's directory.
  let prefix = '/etc/nginx/';
  let conf = 'nginx.conf';
  let globals: string | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '-c') conf = args[++i];
    else if (args[i] === '-p') prefix = args[++i];
    else if (args[i] === '-g') globals = args[++i];
  }
  const confPath = path.posix.resolve(prefix, conf);
  const confDir = path.posix.dirname(confPath);
  const readPath = (p: string) => path.posix.resolve(confDir, p);
  const writePath = (p: string) => path.posix.resolve(prefix, p);
  const seen = new Set<string>();

  const add = (ref: FileReference) => {
    if (ref.path.includes('$')) problems.push(`${ref.by}: ${ref.path} names a file by variables; the simulation cannot tell which`);
    else references.push(ref);
  };
  const walkFile = (file: string, by: string, context: readonly string[]) => {
    add({ path: file, access: 'read-file', by });
    if (seen.has(file)) return;
    seen.add(file);
    const text = view.read(file);
    if (text === undefined) return;
    try {
      walk(parseNginx(text, path.posix.basename(file)), context);
    } catch (e) {
      problems.push(`${file}: ${(e as Error).message}`);
    }
  };
  const walk = (directives: readonly Directive[], context: readonly string[]) => {
    for (const d of directives) {
      const by = `${d.where} ${d.name}`;
      const first = d.args[0];
      if (d.name === 'include' && first !== undefined) {
        const data = context.some((c) => DATA_BLOCKS.has(c));
        for (const file of expandGlob(readPath(first), view)) {
          if (data) add({ path: file, access: 'read-file', by });
          else walkFile(file, by, context);
        }
      } else if (d.name === 'load_module' && first !== undefined) {
        // A relative module path is nginx's prefix's (`load_module modules/x.so` -> /etc/nginx/modules/x.so).
        add({ path: writePath(first), access: 'read-file', by });
      } else if (READ_FILES.has(d.name) && first !== undefined) {
        if (!/^(data|engine|stderr|syslog):/.test(first)) add({ path: readPath(first), access: 'read-file', by });
      } else if (d.name === 'js_import' && d.args.length > 0) {
        // js_import [name from] file
        add({ path: readPath(d.args[d.args.length - 1]), access: 'read-file', by });
      } else if (d.name === 'js_path' && first !== undefined) {
        add({ path: readPath(first), access: 'read-dir', by });
      } else if (WRITE_DIRS.has(d.name) && first !== undefined) {
        add({ path: writePath(first), access: 'write-dir', by });
      } else if (WRITE_FILES.has(d.name) && first !== undefined) {
        if (!['off', 'stderr'].includes(first) && !/^(syslog|memory):/.test(first)) add({ path: writePath(first), access: 'write-file', by });
      }
      if (d.children) walk(d.children, [...context, d.name]);
    }
  };
  if (globals !== undefined) {
    try {
      walk(parseNginx(globals, '-g'), []);
    } catch (e) {
      problems.push(`-g: ${(e as Error).message}`);
    }
  }
  walkFile(confPath, '-c', []);
  return { references, problems };
}

/** A glob in the file name (nginx's `include *.conf`) expanded in the view; a plain path as is. */
function expandGlob(file: string, view: FileView): string[] {
  const base = path.posix.basename(file);
  if (!/[*?[]/.test(base)) return [file];
  const pattern = new RegExp(`^${base.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}$`);
  const dir = path.posix.dirname(file);
  return (view.list(dir) ?? []).filter((f) => !f.startsWith('.') && pattern.test(f)).map((f) => path.posix.join(dir, f));
}

/** nginx's configuration syntax: directives with arguments, `;`-terminated or with a `{ }` block. */
export function parseNginx(text: string, file: string): Directive[] {
  interface Token { value: string; quoted: boolean; line: number }
  const tokens: Token[] = [];
  let line = 1;
  for (let i = 0; i < text.length;) {
    const c = text[i];
    if (c === '\n') { line++; i++; continue; }
    if (/\s/.test(c)) { i++; continue; }
    if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (c === '{' || c === '}' || c === ';') {
      tokens.push({ value: c, quoted: false, line });
      i++;
      continue;
    }
    const start = line;
    let value = '';
    if (c === '"' || c === '\'') {
      i++;
      while (i < text.length && text[i] !== c) {
        if (text[i] === '\\' && i + 1 < text.length) {
          const n = text[i + 1];
          value += n === c || n === '\\' ? n : n === 'n' ? '\n' : n === 't' ? '\t' : n === 'r' ? '\r' : `\\${n}`;
          i += 2;
          continue;
        }
        if (text[i] === '\n') line++;
        value += text[i++];
      }
      if (i >= text.length) throw new Error(`line ${start}: unterminated quoted string`);
      i++;
      tokens.push({ value, quoted: true, line: start });
      continue;
    }
    while (i < text.length && !/[\s;{}]/.test(text[i])) {
      if (text[i] === '\\' && i + 1 < text.length) {
        value += text[i + 1];
        i += 2;
      } else if (text[i] === '$' && text[i + 1] === '{') {
        // ${name}: a variable, braces included.
        const close = text.indexOf('}', i);
        if (close === -1) throw new Error(`line ${line}: unterminated \${`);
        value += text.slice(i, close + 1);
        i = close + 1;
      } else {
        value += text[i++];
      }
    }
    tokens.push({ value, quoted: false, line: start });
  }
  let at = 0;
  const block = (inside: boolean): Directive[] => {
    const out: Directive[] = [];
    let words: Token[] = [];
    while (at < tokens.length) {
      const t = tokens[at++];
      if (!t.quoted && t.value === ';') {
        if (words.length === 0) throw new Error(`line ${t.line}: unexpected ;`);
        out.push({ name: words[0].value, args: words.slice(1).map((w) => w.value), where: `${file}:${words[0].line}` });
        words = [];
      } else if (!t.quoted && t.value === '{') {
        if (words.length === 0) throw new Error(`line ${t.line}: unexpected {`);
        const head = words;
        words = [];
        out.push({ name: head[0].value, args: head.slice(1).map((w) => w.value), children: block(true), where: `${file}:${head[0].line}` });
      } else if (!t.quoted && t.value === '}') {
        if (!inside || words.length > 0) throw new Error(`line ${t.line}: unexpected }`);
        return out;
      } else {
        words.push(t);
      }
    }
    if (inside) throw new Error('unexpected end of file: a block is not closed');
    if (words.length > 0) throw new Error(`line ${words[0].line}: directive ${words[0].value} has no ;`);
    return out;
  };
  return block(false);
}

function kongFiles(env: Readonly<Record<string, string>>, view: FileView): PodFiles {
  const references: FileReference[] = [];
  const problems: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith('KONG_')) continue;
    for (const item of value.split(',').map((v) => v.trim())) {
      // Lua package paths (`/x/?.lua;;`) are search patterns, not files.
      if (!item.startsWith('/') || /[?;*]/.test(item)) continue;
      const access = name === 'KONG_PREFIX' ? 'write-dir' : /_LOG$/.test(name) ? 'write-file' : 'read-file';
      references.push({ path: path.posix.normalize(item), access, by: `env ${name}` });
    }
  }
  const declarative = env.KONG_DECLARATIVE_CONFIG;
  if (env.KONG_DATABASE === 'off' && declarative === undefined) problems.push('KONG_DATABASE=off without KONG_DECLARATIVE_CONFIG: Kong starts with no configuration');
  const text = declarative === undefined ? undefined : view.read(declarative);
  if (text !== undefined) {
    let config: Json;
    try {
      // Kong reads YAML 1.1.
      config = YAML.parse(text, { version: '1.1' });
    } catch (e) {
      problems.push(`${declarative} (KONG_DECLARATIVE_CONFIG) is not YAML: ${(e as Error).message}`);
    }
    if (config !== undefined && (typeof config !== 'object' || config === null || config._format_version === undefined)) {
      problems.push(`${declarative} (KONG_DECLARATIVE_CONFIG) has no _format_version`);
    }
    const plugins = config?._format_version === undefined ? [] : [
      ...config.plugins ?? [],
      ...(config.services ?? []).flatMap((s: Json) => [...s.plugins ?? [], ...(s.routes ?? []).flatMap((r: Json) => r.plugins ?? [])]),
      ...(config.routes ?? []).flatMap((r: Json) => r.plugins ?? []),
      ...(config.consumers ?? []).flatMap((c: Json) => c.plugins ?? []),
    ];
    for (const plugin of plugins) {
      if (plugin?.name === 'file-log' && typeof plugin.config?.path === 'string') {
        references.push({ path: plugin.config.path, access: 'write-file', by: `${declarative} plugin file-log` });
      }
    }
  }
  return { references, problems };
}

/** mtail: its programs directory and the programs in it, and the log files it tails. */
function mtailFiles(argv: readonly string[], view: FileView): PodFiles {
  const references: FileReference[] = [];
  const problems: string[] = [];
  argv.forEach((arg, i) => {
    const value = argv[i + 1];
    if (arg === '--progs' && value !== undefined) {
      references.push({ path: value, access: 'read-dir', by: 'mtail --progs' });
      const programs = (view.list(value) ?? []).filter((f) => f.endsWith('.mtail'));
      if (programs.length === 0) problems.push(`mtail --progs ${value}: no *.mtail program there`);
      for (const program of programs) references.push({ path: path.posix.join(value, program), access: 'read-file', by: 'mtail --progs' });
    } else if (arg === '--logs' && value !== undefined) {
      for (const log of value.split(',')) {
        if (!/^[a-z]+:\/\//.test(log)) references.push({ path: log, access: 'read-file', by: 'mtail --logs' });
      }
    }
  });
  return { references, problems };
}
