import { NJS_MODULE_FILE, njsFiles, njsImports, njsLoadModule, NjsModule } from '../../src/strategies/api-gateway/nginx/nginx-njs';
import { nginxConfigProblems } from '../support/nginx';

/**
 * The njs plumbing of the NGINX engine: a module's `load_module`, `js_path` and `js_import`, and
 * its file next to nginx.conf. nginx compiles each imported module when it loads the
 * configuration: `nginx -t` (Debian's njs here) is the njs parser check every synthesized
 * configuration goes through.
 */
const hello: NjsModule = { name: 'hello', file: 'hello.js', source: 'function hello(r) { r.return(200, "hi"); }\nexport default { hello };\n' };

function configWith(modules: readonly NjsModule[]): string {
  return [
    ...njsLoadModule(modules),
    'pid /tmp/nginx.pid;',
    'events {',
    '}',
    'http {',
    ...njsImports(modules),
    '  server {',
    '    listen 8080;',
    '    location / {',
    '      js_content hello.hello;',
    '    }',
    '  }',
    '}',
  ].join('\n');
}

describe('njs modules of the NGINX engine', () => {
  test('no module: no load_module, no js_path, no file', () => {
    expect(njsLoadModule([])).toEqual([]);
    expect(njsImports([])).toEqual([]);
    expect(njsFiles([])).toEqual({});
  });

  test('a module: the image\'s njs loaded first, the configuration directory as js_path, one js_import, its file', () => {
    expect(NJS_MODULE_FILE).toBe('/etc/nginx/modules/ngx_http_js_module.so');
    expect(njsLoadModule([hello])).toEqual(['load_module /etc/nginx/modules/ngx_http_js_module.so;']);
    expect(njsImports([hello])).toEqual(['js_path /etc/nginx/conf/;', 'js_import hello from hello.js;']);
    expect(njsFiles([hello])).toEqual({ 'hello.js': hello.source });
  });

  test('nginx -t loads the module and compiles the script', () => {
    expect(nginxConfigProblems(configWith([hello]), njsFiles([hello]))).toEqual([]);
  });

  test('nginx -t fails on a script njs cannot compile, and on a missing one', () => {
    const broken = { ...hello, source: 'function hello(r) { r.return(200, "hi") \nexport default { hello };\n' };
    expect(nginxConfigProblems(configWith([broken]), njsFiles([broken])).join('\n')).toMatch(/SyntaxError/);
    expect(nginxConfigProblems(configWith([hello]), {}).join('\n')).toMatch(/hello\.js/);
  });
});
