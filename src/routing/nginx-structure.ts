/**
 * The parts of an nginx configuration that routing reads, as nginx builds them from the
 * directives: servers (their listeners and names), locations (nested, with their modifiers),
 * the variables that `map`, `geo` and `split_clients` define, `upstream` blocks. Each level
 * (http, server, location, `if` in a location) keeps its directives and its parent, for
 * nginx's inheritance of directives from the enclosing level.
 */
import { NginxDirective, UNREADABLE_INCLUDE } from './nginx-parse';
import { NginxModelError, pcre } from './nginx-values';

/** A configuration level and the one it inherits from. */
export interface Level {
  readonly directives: readonly NginxDirective[];
  readonly parent?: Level;
}

export interface Location {
  /** `=`, `^~`, `~`, `~*`, `` (prefix), `@` (named). */
  readonly modifier: string;
  readonly pattern: string;
  readonly regex?: RegExp;
  readonly level: Level;
  readonly nested: readonly Location[];
  readonly internal: boolean;
  readonly at: string;
}

export interface Listen {
  readonly port: number;
  readonly ssl: boolean;
  readonly defaultServer: boolean;
}

export interface Server {
  readonly listens: readonly Listen[];
  readonly names: readonly string[];
  readonly level: Level;
  readonly locations: readonly Location[];
  readonly named: ReadonlyMap<string, Location>;
  readonly at: string;
}

/** A variable nginx computes from another value by a table: `map`, `geo`, `split_clients`. */
export type TableVariable = MapVariable | GeoVariable | { readonly kind: 'split_clients'; readonly at: string };

export interface MapVariable {
  readonly kind: 'map';
  readonly source: string;
  readonly hostnames: boolean;
  readonly defaultValue: string;
  readonly strings: ReadonlyMap<string, string>;
  readonly regexes: readonly { regex: RegExp; value: string }[];
  /** An `include` of a file outside the manifests (credentials rendered at pod start): the table is not known whole. */
  readonly incomplete: boolean;
  readonly at: string;
}

export interface GeoVariable {
  readonly kind: 'geo';
  readonly defaultValue: string;
  /** Entries other than the default: the value depends on the client address. */
  readonly ranges: number;
  readonly at: string;
}

export interface UpstreamServer {
  readonly host: string;
  readonly port?: number;
  readonly weight: number;
}

export interface NginxStructure {
  readonly http: Level;
  readonly servers: readonly Server[];
  readonly variables: ReadonlyMap<string, TableVariable>;
  readonly upstreams: ReadonlyMap<string, readonly UpstreamServer[]>;
}

/** The structure of a parsed configuration (its `http` block; `stream` is not HTTP routing). */
export function nginxStructure(main: readonly NginxDirective[]): NginxStructure {
  const httpBlocks = main.filter((d) => d.name === 'http');
  if (httpBlocks.length !== 1) throw new NginxModelError(`the configuration has ${httpBlocks.length} http blocks; the model reads one`);
  const directives = httpBlocks[0].block ?? [];
  const http: Level = { directives };
  const variables = new Map<string, TableVariable>();
  const upstreams = new Map<string, UpstreamServer[]>();
  for (const d of directives) {
    if (d.name === 'map') variables.set(variableName(d.args[1], d), mapVariable(d));
    if (d.name === 'geo') variables.set(variableName(d.args[d.args.length - 1], d), geoVariable(d));
    if (d.name === 'split_clients') variables.set(variableName(d.args[1], d), { kind: 'split_clients', at: d.at });
    if (d.name === 'js_set' || d.name === 'perl_set') variables.set(variableName(d.args[0], d), { kind: 'split_clients', at: d.at });
    if (d.name === 'upstream') upstreams.set(d.args[0], upstreamServers(d));
  }
  const servers = directives.filter((d) => d.name === 'server').map((d) => server(d, http));
  return { http, servers, variables, upstreams };
}

function variableName(arg: string | undefined, d: NginxDirective): string {
  if (arg === undefined || !/^\$[A-Za-z0-9_]+$/.test(arg)) throw new NginxModelError(`${d.at}: ${d.name} defines no variable`);
  return arg.slice(1);
}

function mapVariable(d: NginxDirective): TableVariable {
  let defaultValue = '';
  let hostnames = false;
  let incomplete = false;
  const strings = new Map<string, string>();
  const regexes: { regex: RegExp; value: string }[] = [];
  for (const entry of d.block ?? []) {
    if (entry.name === UNREADABLE_INCLUDE) { incomplete = true; continue; }
    if (entry.name === 'hostnames') { hostnames = true; continue; }
    if (entry.name === 'volatile') continue;
    const [key, value] = [entry.name, entry.args[0]];
    if (entry.args.length !== 1) throw new NginxModelError(`${entry.at}: a map entry takes a key and a value`);
    if (key === 'default') defaultValue = value;
    else if (key.startsWith('~*')) regexes.push({ regex: pcre(key.slice(2), true), value });
    else if (key.startsWith('~')) regexes.push({ regex: pcre(key.slice(1)), value });
    else strings.set(key.startsWith('\\') ? key.slice(1).toLowerCase() : key.toLowerCase(), value);
  }
  if (hostnames && [...strings.keys()].some((k) => k.includes('*') || k.startsWith('.'))) {
    throw new NginxModelError(`${d.at}: map hostnames with wildcards is not modelled`);
  }
  return { kind: 'map', source: d.args[0], hostnames, defaultValue, strings, regexes, incomplete, at: d.at };
}

function geoVariable(d: NginxDirective): TableVariable {
  let defaultValue = '';
  let ranges = 0;
  for (const entry of d.block ?? []) {
    if (entry.name === 'default') defaultValue = entry.args[0];
    else ranges++;
  }
  return { kind: 'geo', defaultValue, ranges, at: d.at };
}

/** The servers of an upstream with their weights (a server listed twice counts twice); `down` and `backup` ones get nothing. */
function upstreamServers(d: NginxDirective): UpstreamServer[] {
  const out: UpstreamServer[] = [];
  for (const entry of d.block ?? []) {
    if (['hash', 'ip_hash', 'sticky', 'ntlm'].includes(entry.name)) {
      throw new NginxModelError(`${entry.at}: the upstream's "${entry.name}" balancing is not modelled`);
    }
    if (entry.name !== 'server') continue;
    const [address, ...params] = entry.args;
    if (params.includes('down') || params.includes('backup')) continue;
    if (address.startsWith('unix:')) throw new NginxModelError(`${entry.at}: the upstream server ${address} is a socket`);
    const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(address);
    if (m === null) throw new NginxModelError(`${entry.at}: the upstream server ${address} is not an address`);
    const weight = Number(params.find((p) => p.startsWith('weight='))?.slice(7) ?? 1);
    out.push({ host: m[1], port: m[2] === undefined ? undefined : Number(m[2]), weight });
  }
  return out;
}

function server(d: NginxDirective, http: Level): Server {
  const level: Level = { directives: d.block ?? [], parent: http };
  const listens = level.directives.filter((x) => x.name === 'listen').map(listen);
  const names = level.directives.filter((x) => x.name === 'server_name').flatMap((x) => x.args);
  const { locations, named } = locationsOf(level);
  return { listens: listens.length > 0 ? listens : [{ port: 80, ssl: false, defaultServer: false }], names, level, locations, named, at: d.at };
}

function listen(d: NginxDirective): Listen {
  const address = d.args[0];
  if (address.startsWith('unix:')) throw new NginxModelError(`${d.at}: listen on a socket is not modelled`);
  const port = /^\d+$/.test(address) ? Number(address) : Number(/:(\d+)$/.exec(address)?.[1] ?? 80);
  return { port, ssl: d.args.includes('ssl'), defaultServer: d.args.includes('default_server') || d.args.includes('default') };
}

/** The locations of a level (in order), and the named ones of the whole server. */
function locationsOf(level: Level, named = new Map<string, Location>()): { locations: Location[]; named: Map<string, Location> } {
  const locations: Location[] = [];
  for (const d of level.directives) {
    if (d.name !== 'location') continue;
    let [modifier, pattern] = d.args.length === 2 ? d.args : ['', d.args[0]];
    if (d.args.length === 1 && pattern.startsWith('=')) [modifier, pattern] = ['=', pattern.slice(1)];
    if (d.args.length === 1 && pattern.startsWith('@')) [modifier, pattern] = ['@', pattern.slice(1)];
    if (!['', '=', '^~', '~', '~*', '@'].includes(modifier)) throw new NginxModelError(`${d.at}: location modifier "${modifier}"`);
    const inner: Level = { directives: d.block ?? [], parent: level };
    const nested = locationsOf(inner, named).locations;
    const location: Location = {
      modifier,
      pattern,
      regex: modifier === '~' ? pcre(pattern) : modifier === '~*' ? pcre(pattern, true) : undefined,
      level: inner,
      nested,
      internal: inner.directives.some((x) => x.name === 'internal'),
      at: d.at,
    };
    if (modifier === '@') named.set(pattern, location);
    else locations.push(location);
  }
  return { locations, named };
}

/** The directives of `name` that apply at `level`: those of the innermost level that has any (nginx's inheritance of lists). */
export function inheritedList(level: Level | undefined, name: string): readonly NginxDirective[] {
  for (let l = level; l !== undefined; l = l.parent) {
    const found = l.directives.filter((d) => d.name === name);
    if (found.length > 0) return found;
  }
  return [];
}

/** The directive `name` that applies at `level`: the last of the innermost level that has it. */
export function inherited(level: Level | undefined, name: string): NginxDirective | undefined {
  const list = inheritedList(level, name);
  return list[list.length - 1];
}
