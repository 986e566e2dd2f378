/** The extension manifest: activation, commands, views, grammars, walkthrough and assets. */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { Commands, VIEW_ID } from '../../../client/src/constants';
import { exists, pkg, repoRoot } from './manifestHelpers';

const contributes = pkg.contributes;

describe('manifest: activation and entry point', () => {
  it('activates only on Python, YAML and the config file, never on *', () => {
    assert.deepEqual([...pkg.activationEvents].sort(), [
      'onLanguage:python',
      'onLanguage:yaml',
      'workspaceContains:**/airflow-access.y*ml',
    ]);
  });

  it('points main at the bundled client and requires VS Code >= 1.91 (vscode-languageclient 11)', () => {
    assert.equal(pkg.main, './dist/client.js');
    const [major, minor] = pkg.engines.vscode.replace(/^\^/, '').split('.').map(Number);
    assert.ok(major === 1 && minor >= 91, pkg.engines.vscode);
  });

  it('does not type against a newer VS Code than engines.vscode allows (vsce refuses to package)', () => {
    const engine = pkg.engines.vscode.replace(/^\^/, '').split('.').map(Number);
    const types = pkg.devDependencies['@types/vscode'].replace(/^[\^~]/, '').split('.').map(Number);
    assert.ok(types[0] < engine[0] || (types[0] === engine[0] && types[1] <= engine[1]), `${types.join('.')} > ${engine.join('.')}`);
  });

  it('has the marketplace fields and the files they name', () => {
    assert.ok(pkg.categories.length > 0 && pkg.keywords.length > 0);
    assert.equal(pkg.license, 'Apache-2.0');
    assert.ok(exists(pkg.icon), pkg.icon);
    const png = fs.readFileSync(path.join(repoRoot, pkg.icon));
    assert.equal(png.subarray(1, 4).toString(), 'PNG', 'the icon must be a PNG (vsce rejects SVG icons)');
    for (const f of ['LICENSE', 'CHANGELOG.md']) assert.ok(exists(f), f);
  });
});

describe('manifest: commands', () => {
  const contributed: { command: string; title: string; category: string }[] = contributes.commands;
  const ids = contributed.map((c) => c.command);

  it('contributes exactly the commands the client registers', () => {
    assert.deepEqual([...ids].sort(), Object.values(Commands).sort());
  });

  it('puts every command in the "Airflow Access" category with a title', () => {
    for (const c of contributed) {
      assert.equal(c.category, 'Airflow Access', c.command);
      assert.ok(c.title.length > 0, c.command);
    }
  });

  it('every command id the server sends (code lens, links) is one the client registers and contributes', () => {
    // Read from the server's sources, so a renamed id on either side fails here.
    const sent = new Set<string>();
    const walk = (dir: string): void => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith('.ts')) for (const m of fs.readFileSync(p, 'utf8').matchAll(/['"`](?:command:)?(airflowDagAccess\.[A-Za-z]+)['"`?]/g)) sent.add(m[1]);
      }
    };
    walk(path.join(repoRoot, 'server', 'src'));
    const settings = Object.keys(contributes.configuration.properties);
    const commandIds = [...sent].filter((id) => !settings.some((s) => s === id || s.startsWith(`${id}.`)));
    assert.ok(commandIds.includes(Commands.explainDag), `the code lens command ${Commands.explainDag} is not among the server's ids: ${commandIds.join(', ')}`);
    for (const id of commandIds) {
      assert.ok(ids.includes(id), `server sends ${id}, which the manifest does not contribute`);
      assert.ok((Object.values(Commands) as string[]).includes(id), `server sends ${id}, which the client does not register`);
    }
  });

  it('menus only name contributed commands and views', () => {
    for (const [menu, entries] of Object.entries<any[]>(contributes.menus)) {
      for (const e of entries) {
        assert.ok(ids.includes(e.command), `${menu}: ${e.command}`);
        const view = /view == ([\w.]+)/.exec(e.when ?? '');
        if (view) assert.equal(view[1], VIEW_ID);
      }
    }
  });

  it('hides the argument-only commands from the palette', () => {
    const hidden = contributes.menus.commandPalette.filter((e: any) => e.when === 'false').map((e: any) => e.command);
    assert.deepEqual(hidden.sort(), [Commands.openLocation, Commands.refreshTree].sort());
  });
});

describe('manifest: views, languages, grammars, schema, walkthrough', () => {
  it('declares the Airflow Access view', () => {
    const views = Object.values<any[]>(contributes.views).flat();
    assert.deepEqual(
      views.map((v) => [v.id, v.name]),
      [[VIEW_ID, 'Airflow Access']],
    );
    for (const w of contributes.viewsWelcome) assert.equal(w.view, VIEW_ID);
  });

  it('declares the airflowignore language with its grammar and configuration', () => {
    const lang = contributes.languages.find((l: any) => l.id === 'airflowignore');
    assert.deepEqual(lang.filenames, ['.airflowignore']);
    assert.ok(exists(lang.configuration));
    const grammar = contributes.grammars.find((g: any) => g.language === 'airflowignore');
    assert.equal(grammar.scopeName, 'source.airflowignore');
  });

  it('injects the Python grammar and every grammar file exists with its scope name', () => {
    const injection = contributes.grammars.find((g: any) => g.injectTo);
    assert.deepEqual(injection.injectTo, ['source.python']);
    for (const g of contributes.grammars) {
      assert.ok(exists(g.path), g.path);
      const json = JSON.parse(fs.readFileSync(path.join(repoRoot, g.path), 'utf8'));
      assert.equal(json.scopeName, g.scopeName);
    }
  });

  it('declares no custom semantic token types (the server uses the standard enumMember / string + deprecated)', () => {
    assert.equal(contributes.semanticTokenTypes, undefined);
    assert.equal(contributes.semanticTokenModifiers, undefined);
  });

  it('validates airflow-access.y(a)ml with the generated JSON schema', () => {
    assert.deepEqual(contributes.yamlValidation, [
      { fileMatch: ['airflow-access.yaml', 'airflow-access.yml'], url: './schemas/airflow-access.schema.json' },
    ]);
  });

  it('has a walkthrough whose media exist and whose steps complete on our commands', () => {
    const [walkthrough] = contributes.walkthroughs;
    assert.equal(walkthrough.steps.length, 3);
    const commands = Object.values(Commands) as string[];
    for (const step of walkthrough.steps) {
      assert.ok(exists(step.media.markdown), step.media.markdown);
      for (const event of step.completionEvents) {
        if (event.startsWith('onCommand:')) assert.ok(commands.includes(event.slice('onCommand:'.length)), event);
      }
      for (const [, id] of step.description.matchAll(/\(command:([\w.]+)\)/g)) assert.ok(commands.includes(id), id);
    }
  });
});
